import { parseArgs } from 'node:util';
import { detectors } from '../../detectors/index.ts';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';
import type { CommandIo } from './command-io.ts';

export const DETECTORS_USAGE = `Usage: leakwatch detectors [--format text|json]

Lists the built-in detectors: id, name, issuer, keywords, severity, and whether it can verify or revoke.`;

export function runDetectors(argv: readonly string[], io: CommandIo): number {
  const { values } = parseArgs({
    args: [...argv],
    options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    io.stdout(DETECTORS_USAGE);
    return 0;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    throw new LeakwatchError(ErrorCode.InputInvalid, `--format must be text or json, got "${values.format}"`);
  }
  const rows = detectors.map((d) => ({
    id: d.id,
    name: d.name,
    issuer: d.issuer,
    keywords: d.keywords,
    severity: d.severity,
    verify: d.verify !== undefined,
    revoke: d.revoke !== undefined,
  }));
  if (values.format === 'json') {
    for (const row of rows) io.stdout(JSON.stringify(row));
    return 0;
  }
  for (const r of rows) {
    const caps = [r.verify ? 'verify' : '', r.revoke ? 'revoke' : ''].filter(Boolean).join(',') || '-';
    io.stdout(
      `${r.id.padEnd(36)} ${r.issuer.padEnd(18)} ${r.severity.padEnd(8)} ${caps.padEnd(13)} ${r.keywords.join(' ')}`,
    );
  }
  io.stderr(`${rows.length} detectors`);
  return 0;
}
