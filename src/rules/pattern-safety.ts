import { checkSync } from 'recheck';

/**
 * Rejects patterns that can backtrack catastrophically (exponential or
 * polynomial blow-up), using recheck's automaton analysis with a fuzzing
 * fallback (fixed seed, no wall-clock attack timeouts: the verdict must not
 * depend on machine load). Custom rules run over text that anyone in the workspace can write,
 * so an unsafe pattern is a denial-of-service hole.
 */
export function unsafePatternReason(pattern: RegExp, timeoutMs = 5000): string | undefined {
  const result = checkSync(pattern.source, pattern.flags, {
    timeout: timeoutMs,
    randomSeed: 1,
    attackTimeout: null,
    incubationTimeout: null,
  });
  if (result.status === 'vulnerable') {
    return `pattern can backtrack catastrophically (${result.complexity.type}; e.g. input ${JSON.stringify(result.attack.pattern)})`;
  }
  return undefined;
}
