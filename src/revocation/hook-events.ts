import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Severity } from '../core/severity.ts';
import type { Database, Finding } from '../db/schema.ts';
import type { FindingEventType, FindingEvents } from '../jobs/pipeline-context.ts';
import { QUEUES, type HookJob } from '../jobs/queues.ts';
import type { HookConfig } from './hook-config.ts';
import { enqueueHookDeliveries, type HookEvent } from './hook-delivery.ts';

/**
 * The moment that makes an event unique: a finding is created and asked to
 * revoke once, but can be verified live or resolved again after a reopen.
 */
function eventInstant(type: FindingEventType, finding: Finding): string {
  switch (type) {
    case 'finding.created':
    case 'finding.revoke_requested':
      return 'once';
    case 'finding.verified_live':
      return String(finding.verified_at?.getTime() ?? 0);
    case 'finding.resolved':
      return String(finding.resolved_at?.getTime() ?? finding.status_changed_at.getTime());
  }
}

/** Turns lifecycle events into recorded hook deliveries and queued send jobs. */
export class HookEvents implements FindingEvents {
  readonly #db: Kysely<Database>;
  readonly #boss: PgBoss;
  readonly #hooks: readonly HookConfig[];

  constructor(db: Kysely<Database>, boss: PgBoss, hooks: readonly HookConfig[]) {
    this.#db = db;
    this.#boss = boss;
    this.#hooks = hooks;
  }

  async emit(type: FindingEventType, finding: Finding, sealedSecret?: string): Promise<void> {
    const hooks = this.#hooks.filter((h) => h.events.includes(type));
    if (hooks.length === 0) return;
    const occurrences = await this.#db
      .selectFrom('occurrences')
      .select(['platform', 'container', 'item', 'url'])
      .where('finding_id', '=', finding.id)
      .execute();
    const event: HookEvent = {
      id: `${finding.id}:${type}:${eventInstant(type, finding)}`,
      type,
      occurredAt: new Date().toISOString(),
      finding: {
        id: finding.id,
        detectorId: finding.detector_id,
        issuer: finding.issuer,
        severity: finding.severity as Severity,
        status: finding.status,
        liveness: finding.liveness,
        redacted: finding.redacted,
        fingerprint: finding.fingerprint,
        firstSeenAt: finding.first_seen_at.toISOString(),
        lastSeenAt: finding.last_seen_at.toISOString(),
        occurrences,
      },
    };
    const ids = await enqueueHookDeliveries(this.#db, hooks, event);
    for (const deliveryId of ids) {
      const job: HookJob = { deliveryId, event, ...(sealedSecret ? { sealedSecret } : {}) };
      await this.#boss.send(QUEUES.hook, job, { singletonKey: deliveryId });
    }
  }
}
