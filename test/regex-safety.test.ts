import { checkSync } from 'recheck';
import { describe, expect, it } from 'vitest';
import { detectors } from '../detectors/index.ts';

// Static ReDoS analysis of every pattern (recheck: automaton + fuzzing, with a
// fixed seed and step counts instead of wall-clock attack timeouts, so the verdict
// is reproducible and does not depend on machine load). "unknown" (analysis timed
// out) is allowed here because test/linear-time.test.ts still measures those
// patterns on adversarial input; "vulnerable" never is.
const patterns = detectors.flatMap((d) => [
  [d.id, d.pattern] as const,
  ...(d.companions ?? []).map((c) => [`${d.id}/${c.name}`, c.pattern] as const),
]);

describe('regex safety', () => {
  it.each(patterns)('%s has no super-linear backtracking', (_id, pattern) => {
    const result = checkSync(pattern.source, pattern.flags, {
      timeout: 10_000,
      randomSeed: 1,
      attackTimeout: null,
      incubationTimeout: null,
    });
    const detail = result.status === 'vulnerable' ? `${result.complexity.type}: attack ${result.attack.pattern}` : '';
    expect(result.status, detail).not.toBe('vulnerable');
  });
});
