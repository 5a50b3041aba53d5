import type { Detector } from '../core/detector.ts';
import type { Match } from '../core/match.ts';
import { severityRank } from '../core/severity.ts';

/** A match located in a file, as the `scan` command reports it. */
export interface FileFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  match: Match;
  /** Where in a Slack export the message was (line and column are within the message text). */
  slack?: { channel: string; channelId: string; ts: string; time?: string; permalink?: string; author?: string };
  /** Where in a Jira JSON export the text was (line and column are within that field's text). */
  jira?: { issue: string; field: string; url?: string };
  /** Where in a Confluence space export the text was (line and column are within that page body). */
  confluence?: { page: string; pageId?: string; file: string };
}

export interface ReportOptions {
  showSecrets: boolean;
}

/** One JSON object per finding (JSON Lines). The raw secret only with `--show-secrets`. */
export function toJsonLine(f: FileFinding, options: ReportOptions): string {
  const m = f.match;
  return JSON.stringify({
    detector: m.detectorId,
    issuer: m.issuer,
    severity: m.severity,
    confidence: m.confidence,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    start: m.start,
    end: m.end,
    redacted: m.redacted,
    fingerprint: m.fingerprint,
    parts: m.parts.map((p) => ({ name: p.name, start: p.start, end: p.end, redacted: p.secret.redacted })),
    ...(f.slack ? { slack: f.slack } : {}),
    ...(f.jira ? { jira: f.jira } : {}),
    ...(f.confluence ? { confluence: f.confluence } : {}),
    ...(options.showSecrets ? { secret: m.secret.reveal(), partSecrets: m.parts.map((p) => p.secret.reveal()) } : {}),
  });
}

export function toTextLine(f: FileFinding, options: ReportOptions): string {
  const m = f.match;
  const shown = options.showSecrets
    ? [m.secret.reveal(), ...m.parts.map((p) => p.secret.reveal())].join(' + ')
    : m.redacted;
  return `${f.file}:${f.line}:${f.column}\t${m.severity}\t${m.detectorId}\t${shown}`;
}

const SARIF_LEVEL = { info: 'note', low: 'note', medium: 'warning', high: 'error', critical: 'error' } as const;

/** SARIF 2.1.0 log for code-scanning tools; secrets never appear in it, only redacted previews. */
export function toSarif(findings: readonly FileFinding[], detectors: readonly Detector[], version: string): string {
  const used = new Set(findings.map((f) => f.match.detectorId));
  const rules = detectors
    .filter((d) => used.has(d.id))
    .map((d) => ({
      id: d.id,
      name: d.name,
      shortDescription: { text: `${d.name} (issuer: ${d.issuer})` },
      defaultConfiguration: { level: SARIF_LEVEL[d.severity] },
      properties: { issuer: d.issuer, severity: d.severity, tags: ['security', 'secret'] },
    }));
  const results = [...findings]
    .sort((a, b) => severityRank(b.match.severity) - severityRank(a.match.severity))
    .map((f) => ({
      ruleId: f.match.detectorId,
      level: SARIF_LEVEL[f.match.severity],
      message: { text: `${f.match.detectorId}: ${f.match.redacted}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: f.file === '-' ? 'stdin' : f.file.split('\\').join('/') },
            region: {
              startLine: f.line,
              startColumn: f.column,
              endLine: f.endLine,
              endColumn: f.endColumn,
              charOffset: f.match.start,
              charLength: f.match.end - f.match.start,
            },
          },
        },
      ],
      partialFingerprints: { 'leakwatch/v1': f.match.fingerprint },
      properties: { severity: f.match.severity, confidence: f.match.confidence, redacted: f.match.redacted },
    }));
  return JSON.stringify(
    {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'leakwatch', version, rules } }, results }],
    },
    null,
    2,
  );
}
