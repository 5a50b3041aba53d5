import type { Executor } from '../db/executor.ts';
import { findingsCoveredBy, type EntryCriteria } from '../db/allowlist-queries.ts';
import type { Finding } from '../db/schema.ts';
import type { ApiContext } from './api-context.ts';

/** Findings looked at, at most, for one dry run or creation (an entry closing more is unusual enough to split). */
export const IMPACT_LIMIT = 5000;

export interface AllowlistImpact {
  /** Findings still needing action that the entry would close. */
  findings: Finding[];
  /** Regex entries: candidates whose secret is not in the vault, so the pattern could not be tested. */
  unevaluated: number;
  /** More findings may be covered than were looked at. */
  truncated: boolean;
}

/**
 * Which open findings an allowlist entry covers. Fingerprint, detector and
 * place entries are decided on stored fields; a regex entry is tested against
 * each candidate's secret, which only the vault has — without it, the regex
 * applies to new sightings only and the candidates are reported as unevaluated.
 */
export async function allowlistImpact(
  ctx: Pick<ApiContext, 'vault'>,
  db: Executor,
  criteria: EntryCriteria & { pattern: string | null },
): Promise<AllowlistImpact> {
  const candidates = await findingsCoveredBy(db, criteria, IMPACT_LIMIT + 1);
  const truncated = candidates.length > IMPACT_LIMIT;
  const considered = candidates.slice(0, IMPACT_LIMIT);
  if (criteria.kind !== 'regex') {
    return { findings: considered.map(withoutSealed), unevaluated: 0, truncated };
  }
  // The pattern was checked for catastrophic backtracking when it was submitted.
  const regex = new RegExp(criteria.pattern ?? '');
  const findings: Finding[] = [];
  let unevaluated = 0;
  for (const candidate of considered) {
    if (!ctx.vault || !candidate.sealed) {
      unevaluated++;
      continue;
    }
    const { secret } = JSON.parse(ctx.vault.open(candidate.sealed)) as { secret: string };
    if (regex.test(secret)) findings.push(withoutSealed(candidate));
  }
  return { findings, unevaluated, truncated };
}

function withoutSealed(row: Finding & { sealed: string | null }): Finding {
  const { sealed: _sealed, ...finding } = row;
  return finding;
}
