import { invalidArchive, openArchive, readZipEntry, unsafeEntryName, type ZipBudget } from '../safe-zip.ts';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { LeakwatchError } from '../../src/core/errors.ts';

export interface SpaceExportOptions {
  /** Most entries the archive may list (default 200,000). */
  maxEntries?: number;
  /** Largest uncompressed entry read (default 256 MiB: entities.xml holds a whole space). */
  maxEntryBytes?: number;
  /** Most uncompressed bytes read from the whole archive (default 4 GiB). */
  maxTotalBytes?: number;
}

/** One page (or one stored body of the XML export), ready to scan in its markup. */
export interface SpaceExportDocument {
  /** Page title, else the content id, else the entry name. */
  page: string;
  /** Content id, when the export names it (XML export; HTML pages named `Title_12345.html`). */
  pageId?: string;
  /** The entry of the archive the text came from. */
  file: string;
  text: string;
  /** `html` for the HTML export's pages; `xhtml` (Confluence storage format) for entities.xml bodies. */
  format: 'html' | 'xhtml';
}

const DEFAULTS = { maxEntries: 200_000, maxEntryBytes: 256 * 1024 * 1024, maxTotalBytes: 4 * 1024 * 1024 * 1024 };
/** Exports sit at the root or inside one folder named after the space. */
const ENTITIES = /^(?:[^/]+\/)?entities\.xml$/;
const HTML_INDEX = /^(?:[^/]+\/)?index\.html$/;

function entryName(entry: Entry): string {
  return Buffer.from(entry.fileName as unknown as Uint8Array).toString('utf8');
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Character data of an XML element: CDATA sections verbatim (a body may be split over several), the rest unescaped. */
function xmlText(raw: string): string {
  return raw
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part) =>
      part.startsWith('<![CDATA[')
        ? part.slice(9, -3)
        : part.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(lt|gt|amp|quot|apos));/g, (whole, hex, dec, name) => {
            if (name) return XML_ENTITIES[name]!;
            const code = hex ? parseInt(hex, 16) : Number(dec);
            return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
          }),
    )
    .join('');
}

/** The `<object>` elements of a Hibernate export, found without being fooled by `</object>` inside CDATA. */
function* hibernateObjects(xml: string): Generator<{ className: string; inner: string }> {
  const open = /<object\s+class="([^"]*)"[^>]*>/g;
  let match: RegExpExecArray | null;
  while ((match = open.exec(xml)) !== null) {
    let at = open.lastIndex;
    for (;;) {
      const close = xml.indexOf('</object>', at);
      const cdata = xml.indexOf('<![CDATA[', at);
      if (close < 0) return;
      if (cdata >= 0 && cdata < close) {
        const end = xml.indexOf(']]>', cdata + 9);
        if (end < 0) return;
        at = end + 3;
        continue;
      }
      yield { className: match[1]!, inner: xml.slice(open.lastIndex, close) };
      open.lastIndex = close + 9;
      break;
    }
  }
}

/** Top-level `<property name="…">` values and `<id>`s of an object, CDATA-aware. */
function properties(inner: string): { id?: string; props: Map<string, string> } {
  const props = new Map<string, string>();
  let id: string | undefined;
  const tag = /<(property|id)\s+name="([^"]*)"[^>]*?(\/>|>)/g;
  let match: RegExpExecArray | null;
  while ((match = tag.exec(inner)) !== null) {
    if (match[3] === '/>') continue;
    const closing = `</${match[1]}>`;
    let at = tag.lastIndex;
    let end = -1;
    // Nested `<property>` (references to other objects) contain an `<id>`; pair each tag with its own close.
    let depth = 1;
    while (at < inner.length) {
      const cdata = inner.indexOf('<![CDATA[', at);
      const nextClose = inner.indexOf(closing, at);
      const nextOpen = inner.indexOf(`<${match[1]} `, at);
      if (nextClose < 0) break;
      if (cdata >= 0 && cdata < nextClose && (nextOpen < 0 || cdata < nextOpen)) {
        const cend = inner.indexOf(']]>', cdata + 9);
        if (cend < 0) break;
        at = cend + 3;
      } else if (nextOpen >= 0 && nextOpen < nextClose) {
        depth++;
        at = nextOpen + 1;
      } else if (--depth === 0) {
        end = nextClose;
        break;
      } else {
        at = nextClose + closing.length;
      }
    }
    if (end < 0) break;
    const value = inner.slice(tag.lastIndex, end);
    if (match[1] === 'id' && match[2] === 'id') id ??= xmlText(value).trim();
    else if (match[1] === 'property') props.set(match[2]!, value);
    tag.lastIndex = end + closing.length;
  }
  return { ...(id !== undefined ? { id } : {}), props };
}

/** The id inside a reference property such as `<property name="content" class="Page"><id name="id">98306</id></property>`. */
function referencedId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /<id\s+name="id"\s*>([^<]*)<\/id>/.exec(value);
  return m ? m[1]!.trim() : undefined;
}

/** Every stored body of an XML space export (pages, blog posts, comments, old versions) as storage XHTML. */
function entitiesDocuments(xml: string, file: string): SpaceExportDocument[] {
  const titles = new Map<string, string>();
  const bodies: { contentId?: string; body: string }[] = [];
  for (const object of hibernateObjects(xml)) {
    const { id, props } = properties(object.inner);
    if (object.className === 'BodyContent') {
      const body = props.get('body');
      if (body === undefined) continue;
      const contentId = referencedId(props.get('content'));
      bodies.push({ ...(contentId !== undefined ? { contentId } : {}), body: xmlText(body) });
    } else if (id !== undefined && props.has('title')) {
      titles.set(id, xmlText(props.get('title')!));
    }
  }
  return bodies
    .filter((b) => b.body.trim() !== '')
    .map((b) => ({
      page: (b.contentId !== undefined ? titles.get(b.contentId) : undefined) || b.contentId || file,
      ...(b.contentId !== undefined ? { pageId: b.contentId } : {}),
      file,
      text: b.body,
      format: 'xhtml' as const,
    }));
}

/** `<title>` of an HTML export page, minus the `Space : ` prefix Confluence puts before the page title. */
function htmlTitle(html: string): string | undefined {
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  if (!m) return undefined;
  const title = xmlText(m[1]!.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();
  const colon = title.indexOf(' : ');
  return (colon >= 0 ? title.slice(colon + 3) : title) || undefined;
}

async function listEntries(zipPath: string, zip: ZipFile, maxEntries: number): Promise<Map<string, Entry>> {
  if (zip.entryCount > maxEntries) {
    throw invalidArchive(zipPath, `the archive lists ${zip.entryCount} entries, more than the limit of ${maxEntries}`);
  }
  const entries = new Map<string, Entry>();
  try {
    for await (const entry of zip.eachEntry()) {
      const name = entryName(entry);
      if (unsafeEntryName(name)) {
        throw invalidArchive(zipPath, `unsafe entry path ${JSON.stringify(name)} (absolute, "..", or backslash)`);
      }
      if (!name.endsWith('/')) entries.set(name, entry);
    }
  } catch (error) {
    if (error instanceof LeakwatchError) throw error;
    throw invalidArchive(zipPath, `damaged zip archive (${(error as Error).message})`);
  }
  return entries;
}

/**
 * Reads a Confluence space export without unpacking it. An XML export
 * (`entities.xml`) yields every BodyContent body — current pages, blog posts,
 * comments and historical versions — as storage XHTML, titled after the page
 * it belongs to. An HTML export yields each `*.html` page as HTML, titled
 * from its `<title>`.
 *
 * Refuses archives that could hurt the reader, with a `LeakwatchError`
 * naming the archive and the entry: absolute, `..` or backslash entry paths,
 * more entries than `maxEntries`, encrypted entries, and entries or a total
 * that inflate past their byte limits (counted on the inflated bytes, so
 * headers that understate sizes are caught too).
 */
export async function* readConfluenceSpaceExport(
  zipPath: string,
  options: SpaceExportOptions = {},
): AsyncGenerator<SpaceExportDocument> {
  const limits = { ...DEFAULTS, ...options };
  const zip = await openArchive(zipPath);
  try {
    const entries = await listEntries(zipPath, zip, limits.maxEntries);
    const budget: ZipBudget = {
      zipPath,
      maxEntryBytes: limits.maxEntryBytes,
      maxTotalBytes: limits.maxTotalBytes,
      read: 0,
    };
    const names = [...entries.keys()].sort();
    const entities = names.find((n) => ENTITIES.test(n));
    if (entities !== undefined) {
      yield* entitiesDocuments(
        (await readZipEntry(zip, entries.get(entities)!, entities, budget)).toString('utf8'),
        entities,
      );
      return;
    }
    for (const name of names.filter((n) => /\.html?$/i.test(n))) {
      const html = (await readZipEntry(zip, entries.get(name)!, name, budget)).toString('utf8');
      if (html.trim() === '') continue;
      const pageId = /_(\d+)\.html?$/i.exec(name)?.[1];
      yield { page: htmlTitle(html) ?? name, ...(pageId ? { pageId } : {}), file: name, text: html, format: 'html' };
    }
  } finally {
    zip.close();
  }
}

/**
 * True when a zip looks like a Confluence space export: an `entities.xml`
 * (XML export) or an `index.html` (HTML export) at the root or one folder
 * down. Reads only the central directory; run the Slack check first.
 */
export async function isConfluenceSpaceExport(zipPath: string): Promise<boolean> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, { autoClose: false, decodeStrings: false });
  } catch {
    return false;
  }
  try {
    let seen = 0;
    for await (const entry of zip.eachEntry()) {
      const name = entryName(entry);
      if (ENTITIES.test(name) || HTML_INDEX.test(name)) return true;
      if (++seen > 10_000) return false;
    }
    return false;
  } catch {
    return false;
  } finally {
    zip.close();
  }
}
