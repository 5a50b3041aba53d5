import { sql } from 'kysely';
import type { Executor } from '../db/executor.ts';
import { ACTIVE_STATUSES } from '../findings/lifecycle.ts';

export const DIGEST_PERIODS = ['daily', 'weekly'] as const;
export type DigestPeriod = (typeof DIGEST_PERIODS)[number];

const PERIOD_MS: Record<DigestPeriod, number> = { daily: 86_400_000, weekly: 7 * 86_400_000 };
const LISTED = 5;

/** A finding as a digest lists it: redacted preview and where to look, never the secret. */
export interface DigestFinding {
  id: string;
  detectorId: string;
  redacted: string;
  severity: string;
  firstSeenAt: Date;
  escalated: boolean;
  ownerName: string | null;
  ownerSlackUserId: string | null;
  /** Permalink of a place where it is (or was last) seen. */
  url: string | null;
}

export interface DigestPlace {
  platform: string;
  workspace: string;
  container: string;
  /** New findings first seen there during the period. */
  findings: number;
}

/**
 * What happened during a period, computed from the database, for the
 * security channel. Platform-neutral; each platform renders it. Holds
 * counts, redacted previews and places only.
 */
export interface Digest {
  period: DigestPeriod;
  from: Date;
  to: Date;
  /** Findings recorded during the period, and how many of them were verified live. */
  newFindings: number;
  newLive: number;
  newBySeverity: Record<string, number>;
  /** Now: findings still needing action, and those among them that work. */
  open: number;
  openLive: number;
  /** Now: still live after the owner said they remediated and the grace period ran out. */
  escalated: number;
  /** During the period. */
  revoked: number;
  rotated: number;
  resolved: number;
  falsePositives: number;
  /** Mean time from first seen to revoked/rotated, for findings remediated during the period (seconds). */
  meanTimeToRemediateSeconds: number | null;
  oldestOpenLive: DigestFinding[];
  topPlaces: DigestPlace[];
}

/** The period ending at `now`: the last 24 hours or the last 7 days. */
export function digestWindow(period: DigestPeriod, now: Date): { from: Date; to: Date } {
  return { from: new Date(now.getTime() - PERIOD_MS[period]), to: now };
}

type FindingsQuery = ReturnType<typeof findingsQuery>;
type WindowColumn =
  'findings.created_at' | 'findings.remediated_at' | 'findings.resolved_at' | 'findings.status_changed_at';

function findingsQuery(db: Executor) {
  return db.selectFrom('findings');
}

async function countFindings(db: Executor, filter: (q: FindingsQuery) => FindingsQuery): Promise<number> {
  const row = await filter(findingsQuery(db))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Computes the digest for the period ending at `now`.
 *
 * @example const digest = await computeDigest(db, { period: 'daily', now: new Date() });
 */
export async function computeDigest(db: Executor, options: { period: DigestPeriod; now: Date }): Promise<Digest> {
  const { from, to } = digestWindow(options.period, options.now);
  const active = [...ACTIVE_STATUSES];
  const inWindow =
    (column: WindowColumn) =>
    (q: FindingsQuery): FindingsQuery =>
      q.where(column, '>=', from).where(column, '<', to);

  const [newBySeverityRows, newLive, open, openLive, escalated, revoked, rotated, resolved, falsePositives, mttr] =
    await Promise.all([
      inWindow('findings.created_at')(findingsQuery(db))
        .select(['findings.severity', (eb) => eb.fn.countAll<string>().as('n')])
        .groupBy('findings.severity')
        .execute(),
      countFindings(db, (q) => inWindow('findings.created_at')(q).where('findings.liveness', '=', 'live')),
      countFindings(db, (q) => q.where('findings.status', 'in', active)),
      countFindings(db, (q) => q.where('findings.status', 'in', active).where('findings.liveness', '=', 'live')),
      countFindings(db, (q) => q.where('findings.status', 'in', active).where('findings.escalated_at', 'is not', null)),
      countFindings(db, (q) => inWindow('findings.remediated_at')(q).where('findings.remediation', '=', 'revoked')),
      countFindings(db, (q) => inWindow('findings.remediated_at')(q).where('findings.remediation', '=', 'rotated')),
      countFindings(db, (q) => inWindow('findings.resolved_at')(q)),
      countFindings(db, (q) =>
        inWindow('findings.status_changed_at')(q).where('findings.status', 'in', ['false_positive', 'allowlisted']),
      ),
      inWindow('findings.remediated_at')(findingsQuery(db))
        .select(
          sql<string | number | null>`avg(extract(epoch from (findings.remediated_at - findings.first_seen_at)))`.as(
            'seconds',
          ),
        )
        .executeTakeFirstOrThrow(),
    ]);

  const oldestRows = await db
    .selectFrom('findings')
    .leftJoin('identities', 'identities.id', 'findings.owner_identity_id')
    .select([
      'findings.id',
      'findings.detector_id',
      'findings.redacted',
      'findings.severity',
      'findings.first_seen_at',
      'findings.escalated_at',
      'identities.display_name',
      'identities.email',
      'identities.platform',
      'identities.platform_user_id',
      'identities.slack_user_id',
      (eb) =>
        eb
          .selectFrom('occurrences')
          .select('occurrences.url')
          .whereRef('occurrences.finding_id', '=', 'findings.id')
          .orderBy(sql`occurrences.closed_at is null`, 'desc')
          .orderBy('occurrences.last_seen_at', 'desc')
          .limit(1)
          .as('url'),
    ])
    .where('findings.status', 'in', active)
    .where('findings.liveness', '=', 'live')
    .orderBy('findings.first_seen_at', 'asc')
    .limit(LISTED)
    .execute();

  const placeRows = await db
    .selectFrom('occurrences')
    .select([
      'occurrences.platform',
      'occurrences.workspace',
      'occurrences.container',
      (eb) => eb.fn.count<string>('occurrences.finding_id').distinct().as('n'),
    ])
    .where('occurrences.first_seen_at', '>=', from)
    .where('occurrences.first_seen_at', '<', to)
    .groupBy(['occurrences.platform', 'occurrences.workspace', 'occurrences.container'])
    .orderBy('n', 'desc')
    .orderBy('occurrences.container')
    .limit(LISTED)
    .execute();

  const newBySeverity = Object.fromEntries(newBySeverityRows.map((r) => [r.severity, Number(r.n)]));
  const seconds = mttr.seconds === null ? null : Number(mttr.seconds);
  return {
    period: options.period,
    from,
    to,
    newFindings: Object.values(newBySeverity).reduce((sum, n) => sum + n, 0),
    newLive,
    newBySeverity,
    open,
    openLive,
    escalated,
    revoked,
    rotated,
    resolved,
    falsePositives,
    meanTimeToRemediateSeconds: seconds === null || Number.isNaN(seconds) ? null : Math.round(seconds),
    oldestOpenLive: oldestRows.map((r) => ({
      id: r.id,
      detectorId: r.detector_id,
      redacted: r.redacted,
      severity: r.severity,
      firstSeenAt: r.first_seen_at,
      escalated: r.escalated_at !== null,
      ownerName: r.display_name ?? r.email ?? (r.platform ? `${r.platform}:${r.platform_user_id}` : null),
      ownerSlackUserId: r.slack_user_id ?? (r.platform === 'slack' ? r.platform_user_id : null),
      url: r.url ?? null,
    })),
    topPlaces: placeRows.map((r) => ({
      platform: r.platform,
      workspace: r.workspace,
      container: r.container,
      findings: Number(r.n),
    })),
  };
}

/** `3h 12m`, `2d 4h`, `45s`: a duration for people. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}
