import type pg from 'pg';
import { tokenKey, type FaultUpstreams } from './fault-upstreams.ts';
import { sleep } from './leakwatch-processes.ts';
import type { PlantedEvent } from './planted-events.ts';

/** The pipeline queues whose backlog must drain (crons and integration housekeeping left out). */
const PIPELINE_QUEUES = ['scan', 'verify', 'notify', 'revoke', 'redact', 'hook', 'slack-file'];

/** What happened to a set of planted events, end to end. */
export interface PipelineTally {
  planted: number;
  acknowledged: number;
  /** Acknowledged events whose secret has no finding: lost (must be 0). */
  lostAcknowledged: number;
  /** Events never acknowledged whose secret has no finding (allowed: the sender still has them). */
  missingUnacknowledged: number;
  /** Planted secrets with more than one finding (must be 0). */
  duplicateFindings: number;
  findings: number;
  /** Findings with no owner DM, split by why. */
  withoutDm: { resolvedBeforeNotice: number; uncertain: number; other: number };
  /** Findings with more than one owner DM (must be 0). */
  duplicateDms: number;
  dms: number;
  /** Tokens the issuer was asked to revoke more than once (must be 0). */
  duplicateRevokes: number;
  /** Live-verified findings whose token was never revoked. */
  unrevokedLive: number;
  revokeCalls: number;
  statuses: Record<string, number>;
  liveness: Record<string, number>;
  notificationStatuses: Record<string, number>;
  /** Jobs still queued, retrying or active in the pipeline queues. */
  backlog: number;
  deadLetters: number;
}

export async function pipelineBacklog(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `select count(*) as n from pgboss.job where name = any($1) and state in ('created', 'retry', 'active')`,
    [PIPELINE_QUEUES],
  );
  return Number(rows[0]!.n);
}

export async function recordedScans(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `select count(*) as n from pgboss.job where name = 'scan' and state = 'completed'`,
  );
  return Number(rows[0]!.n);
}

/** Waits until every pipeline queue is empty (twice in a row, a second apart) or the time is up; true when drained. */
export async function waitForDrain(db: pg.Pool, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let emptyInARow = 0;
  while (Date.now() < deadline) {
    const backlog = await pipelineBacklog(db).catch(() => -1);
    emptyInARow = backlog === 0 ? emptyInARow + 1 : 0;
    if (emptyInARow >= 2) return true;
    await sleep(1000);
  }
  return false;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

/** Reads the database and the stand-ins' counters for `events` (sent by a driver that acknowledged `acknowledged`). */
export async function tallyPipeline(
  db: pg.Pool,
  upstreams: FaultUpstreams,
  events: readonly Pick<PlantedEvent, 'index' | 'token' | 'fingerprint'>[],
  acknowledged: ReadonlySet<number>,
): Promise<PipelineTally> {
  const { rows: findings } = await db.query<{ id: string; fingerprint: string; status: string; liveness: string }>(
    `select id, fingerprint, status, liveness from findings where fingerprint = any($1)`,
    [events.map((e) => e.fingerprint)],
  );
  const { rows: notifications } = await db.query<{ finding_id: string; status: string }>(
    `select finding_id, status from notifications where kind = 'owner' and finding_id = any($1)`,
    [findings.map((f) => f.id)],
  );
  const { rows: dead } = await db.query<{ n: string }>(
    `select count(*) as n from pgboss.job where name = 'dead-letter'`,
  );
  const byFingerprint = new Map<string, typeof findings>();
  for (const f of findings) byFingerprint.set(f.fingerprint, [...(byFingerprint.get(f.fingerprint) ?? []), f]);
  const notificationOf = new Map(notifications.map((n) => [n.finding_id, n.status]));
  const dms = upstreams.dmsPerFinding();

  const tally: PipelineTally = {
    planted: events.length,
    acknowledged: events.filter((e) => acknowledged.has(e.index)).length,
    lostAcknowledged: 0,
    missingUnacknowledged: 0,
    duplicateFindings: 0,
    findings: findings.length,
    withoutDm: { resolvedBeforeNotice: 0, uncertain: 0, other: 0 },
    duplicateDms: 0,
    dms: 0,
    duplicateRevokes: 0,
    unrevokedLive: 0,
    revokeCalls: 0,
    statuses: countBy(findings, (f) => f.status),
    liveness: countBy(findings, (f) => f.liveness),
    notificationStatuses: countBy(notifications, (n) => n.status),
    backlog: await pipelineBacklog(db),
    deadLetters: Number(dead[0]!.n),
  };
  for (const event of events) {
    const found = byFingerprint.get(event.fingerprint) ?? [];
    if (found.length === 0) {
      if (acknowledged.has(event.index)) tally.lostAcknowledged++;
      else tally.missingUnacknowledged++;
    }
    if (found.length > 1) tally.duplicateFindings++;
    const calls = upstreams.revokeCalls.get(tokenKey(event.token)) ?? 0;
    tally.revokeCalls += calls;
    if (calls > 1) tally.duplicateRevokes++;
    for (const finding of found) {
      const sent = dms.get(finding.id) ?? 0;
      tally.dms += sent;
      if (sent > 1) tally.duplicateDms++;
      if (sent === 0) {
        const notification = notificationOf.get(finding.id);
        if (notification === 'uncertain') tally.withoutDm.uncertain++;
        else if (notification === undefined && finding.status === 'resolved') tally.withoutDm.resolvedBeforeNotice++;
        else tally.withoutDm.other++;
      }
      // Verified live, still not resolved and never revoked: auto-revocation missed it.
      if (calls === 0 && finding.liveness === 'live') tally.unrevokedLive++;
    }
  }
  return tally;
}
