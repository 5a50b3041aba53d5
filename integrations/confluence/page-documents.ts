import type { DocumentRef } from '../../src/core/document.ts';
import type { DocumentSink, InboundDocument } from '../../src/core/integration.ts';
import type { Executor } from '../../src/db/executor.ts';
import type { ConfluenceApi, ContentKind, ContentRef, ContentVersion } from './confluence-api.ts';
import { PLATFORM, type VersionLedger } from './version-ledger.ts';

/**
 * Item ids in `DocumentRef.item`: `page:<id>`, `blogpost:<id>`, `comment:<id>`
 * for the current text, `…@v<n>` for historical version n (a secret removed
 * from the page still lives in its history, and is a place of its own).
 */
export function itemOf(ref: ContentRef, historicalVersion?: number): string {
  return `${ref.kind}:${ref.id}${historicalVersion === undefined ? '' : `@v${historicalVersion}`}`;
}

const ITEM = /^(page|blogpost|comment):([0-9A-Za-z_-]+)(?:@v(\d+))?$/;

/** The content an occurrence's item points at, or undefined when it is not a Confluence item. */
export function parseItem(item: string): { ref: ContentRef; version?: number } | undefined {
  const m = ITEM.exec(item);
  if (!m) return undefined;
  return { ref: { kind: m[1] as ContentKind, id: m[2]! }, ...(m[3] ? { version: Number(m[3]) } : {}) };
}

/** A content version as a document to scan: its storage XHTML (text, code macro bodies and link targets are scanned). */
export function contentDocument(host: string, content: ContentVersion, historical: boolean): InboundDocument {
  const ref: DocumentRef = {
    platform: PLATFORM,
    workspace: host,
    container: content.spaceKey,
    item: itemOf(content.ref, historical ? content.version : undefined),
    version: String(content.version),
    ...(content.url ? { url: content.url } : {}),
    ...(content.author ? { author: content.author } : {}),
    ...(content.createdAt ? { occurredAt: content.createdAt } : {}),
  };
  return { ref, text: content.body, format: 'xhtml' };
}

export interface ContentReaderDeps {
  api: ConfluenceApi;
  ledger: VersionLedger;
  db: Executor;
  sink: DocumentSink;
}

/** Documents per `submit`: bounds memory when a page has hundreds of versions. */
const BATCH_DOCUMENTS = 20;
const BATCH_CHARS = 4 * 1024 * 1024;

/**
 * Submits a content item's current version and every historical version not
 * submitted before, in bounded batches. The de-duplication keys are recorded
 * only after their batch is durable; the current version's key goes last, so
 * an interrupted read is repeated rather than skipped. Returns how many
 * documents were submitted (0 when this version was already read).
 */
export async function submitContentWithHistory(deps: ContentReaderDeps, current: ContentVersion): Promise<number> {
  const { api, ledger, db, sink } = deps;
  const currentKey = ledger.currentKey(current.ref.id, current.version);
  if (!(await ledger.unseen(db, [currentKey])).has(currentKey)) return 0;

  let batch: InboundDocument[] = [contentDocument(api.host, current, false)];
  let batchKeys: string[] = [];
  let batchChars = current.body.length;
  let submitted = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await sink.submit(batch);
    await ledger.record(db, batchKeys);
    submitted += batch.length;
    batch = [];
    batchKeys = [];
    batchChars = 0;
  };

  const numbers = await api.historicalVersions(current);
  const keyOf = new Map(numbers.map((n) => [n, ledger.historyKey(current.ref.id, n)]));
  const unseen = await ledger.unseen(db, [...keyOf.values()]);
  for (const n of numbers) {
    const key = keyOf.get(n)!;
    if (!unseen.has(key)) continue;
    const version = await api.getVersion(current, n);
    if (!version) continue;
    batch.push(contentDocument(api.host, version, true));
    batchKeys.push(key);
    batchChars += version.body.length;
    if (batch.length >= BATCH_DOCUMENTS || batchChars >= BATCH_CHARS) await flush();
  }
  await flush();
  await ledger.record(db, [currentKey]);
  return submitted;
}
