import { sql } from 'kysely';
import { ACTIVE_STATUSES } from '../findings/lifecycle.ts';
import type { Executor } from './executor.ts';

export type Counts = Record<string, number>;

function toCounts(rows: readonly { key: string; n: string | number }[]): Counts {
  return Object.fromEntries(rows.map((r) => [r.key, Number(r.n)]));
}

/**
 * Finding counts by status, liveness, severity, detector and platform (a
 * finding counts once per platform it was seen on). With `activeOnly`, every
 * grouping but status counts only findings still needing action.
 */
export async function findingCounts(db: Executor, options: { activeOnly: boolean }) {
  const base = () => {
    const q = db.selectFrom('findings');
    return options.activeOnly ? q.where('findings.status', 'in', [...ACTIVE_STATUSES]) : q;
  };
  const [total, byStatus, byLiveness, bySeverity, byDetector, byPlatform] = await Promise.all([
    base()
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('findings')
      .select(['status as key', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('status')
      .execute(),
    base()
      .select(['liveness as key', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('liveness')
      .execute(),
    base()
      .select(['severity as key', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('severity')
      .execute(),
    base()
      .select(['detector_id as key', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('detector_id')
      .execute(),
    base()
      .innerJoin('occurrences', 'occurrences.finding_id', 'findings.id')
      .select(['occurrences.platform as key', sql<string>`count(distinct findings.id)`.as('n')])
      .groupBy('occurrences.platform')
      .execute(),
  ]);
  return {
    total: Number(total.n),
    byStatus: toCounts(byStatus),
    byLiveness: toCounts(byLiveness),
    bySeverity: toCounts(bySeverity),
    byDetector: toCounts(byDetector),
    byPlatform: toCounts(byPlatform),
  };
}

/**
 * Mean and median time from first sighting to resolution (proven dead or
 * otherwise resolved) and to remediation (revoked or rotated), in seconds,
 * over findings first seen since `since`.
 */
export async function timeToResolve(db: Executor, since: Date) {
  const row = await db
    .selectFrom('findings')
    .select([
      sql<string>`count(resolved_at)`.as('resolved'),
      sql<number | null>`avg(extract(epoch from resolved_at - first_seen_at))`.as('mean_resolve'),
      sql<
        number | null
      >`percentile_cont(0.5) within group (order by extract(epoch from resolved_at - first_seen_at))`.as(
        'median_resolve',
      ),
      sql<string>`count(remediated_at)`.as('remediated'),
      sql<number | null>`avg(extract(epoch from remediated_at - first_seen_at))`.as('mean_remediate'),
    ])
    .where('first_seen_at', '>=', since)
    .executeTakeFirstOrThrow();
  const seconds = (v: number | string | null) => (v === null ? null : Math.round(Number(v)));
  return {
    resolvedCount: Number(row.resolved),
    meanSecondsToResolve: seconds(row.mean_resolve),
    medianSecondsToResolve: seconds(row.median_resolve),
    remediatedCount: Number(row.remediated),
    meanSecondsToRemediate: seconds(row.mean_remediate),
  };
}

/**
 * Per UTC day, findings open at the end of the day and, of those, the ones
 * whose latest check by then said live. Reconstructed from current state:
 * a finding is open from its first sighting until it was resolved (or marked
 * false positive / allowlisted); a re-opened finding counts from its first
 * sighting, without the gap.
 */
export async function openAndLiveByDay(db: Executor, now: Date, days: number) {
  const result = await sql<{ date: string; open: string; live: string }>`
    with days as (
      select to_char(d, 'YYYY-MM-DD') as date, ((d + interval '1 day') at time zone 'UTC') as day_end
      from generate_series(
        ((${now}::timestamptz at time zone 'UTC')::date - ${days - 1}::int)::timestamp,
        ((${now}::timestamptz at time zone 'UTC')::date)::timestamp,
        interval '1 day'
      ) as d
    ),
    open_at as (
      select days.date, f.id
      from days
      join findings f on f.first_seen_at < days.day_end
        and coalesce(
          f.resolved_at,
          case when f.status in ('false_positive', 'allowlisted') then f.status_changed_at end,
          'infinity'::timestamptz
        ) >= days.day_end
    )
    select days.date,
      (select count(*) from open_at where open_at.date = days.date) as open,
      (select count(*) from open_at
        where open_at.date = days.date
          and (select v.liveness from verifications v
               where v.finding_id = open_at.id and v.checked_at < days.day_end
               order by v.checked_at desc, v.id desc limit 1) = 'live') as live
    from days
    order by days.date`.execute(db);
  return result.rows.map((r) => ({ date: r.date, open: Number(r.open), live: Number(r.live) }));
}
