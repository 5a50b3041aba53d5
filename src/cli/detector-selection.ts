import type { Detector } from '../core/detector.ts';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';

function parseIds(value: string | undefined, flag: string, known: ReadonlySet<string>): Set<string> | undefined {
  if (value === undefined) return undefined;
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (ids.length === 0) throw new LeakwatchError(ErrorCode.InputInvalid, `${flag} needs at least one detector id`);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new LeakwatchError(
      ErrorCode.InputInvalid,
      `${flag}: unknown detector id(s): ${unknown.join(', ')} (see \`leakwatch detectors\`)`,
    );
  }
  return new Set(ids);
}

/** Applies `--detectors` / `--exclude-detectors`; unknown ids are an error, not silently ignored. */
export function selectDetectors(
  all: readonly Detector[],
  include: string | undefined,
  exclude: string | undefined,
): readonly Detector[] {
  const known = new Set(all.map((d) => d.id));
  const only = parseIds(include, '--detectors', known);
  const without = parseIds(exclude, '--exclude-detectors', known);
  const selected = all.filter((d) => (only === undefined || only.has(d.id)) && !without?.has(d.id));
  if (selected.length === 0) throw new LeakwatchError(ErrorCode.InputInvalid, 'no detector left to run');
  return selected;
}
