import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { detectors as builtInDetectors } from '../../detectors/index.ts';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';
import { loadConfig } from '../config.ts';
import { loadFingerprintKey } from '../detection/fingerprint.ts';
import { createScanner } from '../detection/scanner.ts';
import { withCustomRules } from '../rules/load-rules.ts';
import { selectDetectors } from './detector-selection.ts';
import { LineIndex } from './line-index.ts';
import { readInputs } from './scan-inputs.ts';
import { toJsonLine, toSarif, toTextLine, type FileFinding } from './scan-report.ts';
import type { CommandIo } from './command-io.ts';

export const SCAN_USAGE = `Usage: leakwatch scan [PATH…|-] [options]

Scans files, directories (recursively) or standard input (\`-\`, or no PATH) for leaked credentials.

Options:
  --format text|json|sarif    output format (default text; json = JSON Lines, one finding per line)
  --detectors ID,ID           run only these detectors
  --exclude-detectors ID,ID   do not run these detectors
  --rules FILE                add custom rules (gitleaks .toml, or leakwatch .json/.yaml); repeatable
  --show-secrets              print raw secrets (never do this in shared logs)
  -h, --help                  show this help

Exit status: 0 no findings, 1 findings, 2 invalid flags or nothing could be scanned.`;

const FORMATS = ['text', 'json', 'sarif'] as const;

export function runScan(argv: readonly string[], io: CommandIo): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      detectors: { type: 'string' },
      'exclude-detectors': { type: 'string' },
      rules: { type: 'string', multiple: true },
      'show-secrets': { type: 'boolean', default: false },
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
  const paths = positionals.length > 0 ? positionals : ['-'];

  const collected: FileFinding[] = [];
  let scanned = 0;
  let found = 0;
  for (const input of readInputs(paths, () => io.readStdin())) {
    if (!('text' in input)) {
      io.stderr(`leakwatch: ${input.name}: ${input.message}`);
      continue;
    }
    scanned++;
    const matches = scanner.scan(input.text);
    if (matches.length === 0) continue;
    const lines = new LineIndex(input.text);
    for (const match of matches) {
      const start = lines.position(match.start);
      const end = lines.position(match.end);
      const finding: FileFinding = {
        file: input.name,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        match,
      };
      found++;
      if (format === 'sarif') collected.push(finding);
      else io.stdout(format === 'json' ? toJsonLine(finding, report) : toTextLine(finding, report));
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
