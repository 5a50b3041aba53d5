import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { detectors as builtInDetectors } from '../../detectors/index.ts';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';
import type { Match } from '../core/match.ts';
import { loadConfig } from '../config.ts';
import { loadFingerprintKey } from '../detection/fingerprint.ts';
import { createScanner } from '../detection/scanner.ts';
import { withCustomRules } from '../rules/load-rules.ts';
import { selectDetectors } from './detector-selection.ts';
import { LineIndex } from './line-index.ts';
import { readInputs } from './scan-inputs.ts';
import { toJsonLine, toSarif, toTextLine, type FileFinding } from './scan-report.ts';
import type { CommandIo } from './command-io.ts';
import type * as JiraSearchExport from '../../integrations/jira/search-export.ts';

export const SCAN_USAGE = `Usage: leakwatch scan [PATH…|-] [options]

Scans files, directories (recursively) or standard input (\`-\`, or no PATH) for leaked credentials.
A Slack export (.zip with channels/*/YYYY-MM-DD.json) is read message by message; findings name
the channel, the message timestamp and its permalink.
A Jira JSON export (a REST search result \`{"issues": [...]}\` or an array of issues, v2 or v3) is
read field by field: summary, description, environment, text custom fields, comments, worklogs;
findings are named FILE#ISSUE-1/description or FILE#ISSUE-1/comment-10001. Other JSON is plain text.
A Confluence space export (.zip with entities.xml, or an HTML export with index.html) is read page
by page; findings are named ZIP#path/in/zip and carry the page title.

Options:
  --format text|json|sarif    output format (default text; json = JSON Lines, one finding per line)
  --detectors ID,ID           run only these detectors
  --exclude-detectors ID,ID   do not run these detectors
  --rules FILE                add custom rules (gitleaks .toml, or leakwatch .json/.yaml); repeatable
  --show-secrets              print raw secrets (never do this in shared logs)
  --slack-workspace-url URL   workspace address for permalinks when scanning a Slack export .zip
  -h, --help                  show this help

Exit status: 0 no findings, 1 findings, 2 invalid flags or nothing could be scanned.`;

const FORMATS = ['text', 'json', 'sarif'] as const;

export async function runScan(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      detectors: { type: 'string' },
      'exclude-detectors': { type: 'string' },
      rules: { type: 'string', multiple: true },
      'show-secrets': { type: 'boolean', default: false },
      'slack-workspace-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(SCAN_USAGE);
    return 0;
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) {
    throw new LeakwatchError(
      ErrorCode.InputInvalid,
      `--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`,
    );
  }
  const config = loadConfig(io.env);
  const custom = withCustomRules(builtInDetectors, [...config.rulesFiles, ...(values.rules ?? [])]);
  for (const warning of custom.warnings) io.stderr(`leakwatch: ${warning}`);
  const selected = selectDetectors(custom.detectors, values.detectors, values['exclude-detectors']);
  const scanner = createScanner({
    detectors: selected,
    fingerprintKey: loadFingerprintKey(config.dataDir, config.fingerprintKey),
    windowChars: config.maxWindowChars,
  });
  const report = { showSecrets: values['show-secrets'] };
  const workspaceUrl = values['slack-workspace-url'];
  if (workspaceUrl !== undefined && !/^https:\/\/[^/\s]+/.test(workspaceUrl)) {
    throw new LeakwatchError(ErrorCode.InputInvalid, `--slack-workspace-url must be https://<workspace>.slack.com/`);
  }
  const paths = positionals.length > 0 ? positionals : ['-'];
  const exports = new Map<string, 'slack' | 'confluence'>();
  // The export readers (and what they use) load only when an input may be an export: a plain scan starts faster.
  const zips = paths.filter((p) => /\.zip$/i.test(p));
  const slackExport = zips.length > 0 ? await import('../../integrations/slack/export-zip.ts') : undefined;
  const confluenceExport = zips.length > 0 ? await import('../../integrations/confluence/space-export.ts') : undefined;
  for (const path of zips) {
    if (await slackExport!.isSlackExport(path)) exports.set(path, 'slack');
    else if (await confluenceExport!.isConfluenceSpaceExport(path)) exports.set(path, 'confluence');
  }
  let jiraExport: typeof JiraSearchExport | undefined;

  const collected: FileFinding[] = [];
  let scanned = 0;
  let found = 0;
  const emit = (
    text: string,
    matches: readonly Match[],
    file: string,
    where: Pick<FileFinding, 'slack' | 'jira' | 'confluence'> = {},
  ) => {
    if (matches.length === 0) return;
    const lines = new LineIndex(text);
    for (const match of matches) {
      const start = lines.position(match.start);
      const end = lines.position(match.end);
      const finding: FileFinding = {
        file,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        match,
        ...where,
      };
      found++;
      if (format === 'sarif') collected.push(finding);
      else io.stdout(format === 'json' ? toJsonLine(finding, report) : toTextLine(finding, report));
    }
  };
  for (const [path, kind] of exports) {
    try {
      if (kind === 'confluence') {
        for await (const doc of confluenceExport!.readConfluenceSpaceExport(path)) {
          scanned++;
          emit(doc.text, scanner.scan(doc.text, { format: doc.format }), `${path}#${doc.file}`, {
            confluence: { page: doc.page, ...(doc.pageId ? { pageId: doc.pageId } : {}), file: doc.file },
          });
        }
        continue;
      }
      for await (const doc of slackExport!.readSlackExport(path, workspaceUrl ? { workspaceUrl } : {})) {
        scanned++;
        emit(doc.text, scanner.scan(doc.text, { format: 'slack' }), `${path}#${doc.channelName}/${doc.ts}`, {
          slack: {
            channel: doc.channelName,
            channelId: doc.ref.container,
            ts: doc.ts,
            time: new Date(Number(doc.ts) * 1000).toISOString(),
            ...(doc.permalink ? { permalink: doc.permalink } : {}),
            ...(doc.ref.author?.id ? { author: doc.ref.author.id } : {}),
          },
        });
      }
    } catch (error) {
      if (!(error instanceof LeakwatchError)) throw error;
      io.stderr(`leakwatch: ${path}: ${error.message}`);
    }
  }
  const plain = paths.filter((p) => !exports.has(p));
  for (const input of plain.length > 0 ? readInputs(plain, () => io.readStdin()) : []) {
    if (!('text' in input)) {
      io.stderr(`leakwatch: ${input.name}: ${input.message}`);
      continue;
    }
    scanned++;
    // Jira exports are recognised by content: a `.json` that is not one is scanned as the plain text it is.
    const isJson = /\.json$/i.test(input.name);
    if (isJson) jiraExport ??= await import('../../integrations/jira/search-export.ts');
    const jira = isJson ? jiraExport!.readJiraExport(input.text) : undefined;
    if (!jira) {
      emit(input.text, scanner.scan(input.text), input.name);
      continue;
    }
    for (const doc of jira) {
      emit(doc.text, scanner.scan(doc.text), `${input.name}#${doc.issue}/${doc.field}`, {
        jira: { issue: doc.issue, field: doc.field, ...(doc.url ? { url: doc.url } : {}) },
      });
    }
  }
  if (format === 'sarif') io.stdout(toSarif(collected, selected, io.version));
  if (scanned === 0) {
    io.stderr('leakwatch: nothing could be scanned');
    return 2;
  }
  if (format === 'text') io.stderr(`leakwatch: ${found} finding(s) in ${scanned} input(s)`);
  return found > 0 ? 1 : 0;
}

/** Reads all of standard input synchronously (the CLI is a one-shot process). */
export function readStdinFully(): Uint8Array {
  return readFileSync(0);
}
