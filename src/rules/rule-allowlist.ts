import type { ValidationContext } from '../core/detector.ts';

/** One allowlist of a custom rule: a candidate matching it is dropped. */
export interface RuleAllowlist {
  regexes: readonly RegExp[];
  /** What `regexes` are tested against. */
  regexTarget: 'secret' | 'match' | 'line';
  /** Case-insensitive substrings of the secret. */
  stopwords: readonly string[];
  /** `AND`: every listed kind of condition must hold; `OR` (default): any one. */
  condition: 'OR' | 'AND';
}

function regexHolds(list: RuleAllowlist, secret: string, context: ValidationContext | undefined): boolean {
  const target =
    list.regexTarget === 'secret' ? secret : list.regexTarget === 'match' ? context?.match : context?.line();
  return target !== undefined && list.regexes.some((r) => r.test(target));
}

function stopwordHolds(list: RuleAllowlist, secret: string): boolean {
  const lower = secret.toLowerCase();
  return list.stopwords.some((w) => lower.includes(w.toLowerCase()));
}

/** True when any allowlist says to drop the candidate. */
export function isAllowlisted(
  lists: readonly RuleAllowlist[],
  secret: string,
  context: ValidationContext | undefined,
): boolean {
  return lists.some((list) => {
    const checks: boolean[] = [];
    if (list.regexes.length > 0) checks.push(regexHolds(list, secret, context));
    if (list.stopwords.length > 0) checks.push(stopwordHolds(list, secret));
    if (checks.length === 0) return false;
    return list.condition === 'AND' ? checks.every(Boolean) : checks.some(Boolean);
  });
}
