import type { WebClient } from '@slack/web-api';
import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Detector } from '../../src/core/detector.ts';
import type { Database } from '../../src/db/schema.ts';
import type { SealedBox } from '../../src/findings/sealed-box.ts';
import type { FindingEvents, RevocationDecider } from '../../src/jobs/pipeline-context.ts';
import type { Logger } from '../../src/logger.ts';
import type { SlackConfig } from './slack-config.ts';

/**
 * What "Revoke it now" needs: the revocation policy, and the secret, which
 * only exists in the opt-in vault (LEAKWATCH_ENCRYPTION_KEY) and travels to
 * the revoke worker sealed under the transit key.
 */
export interface SlackRevocationDeps {
  policy: RevocationDecider;
  transit: SealedBox;
  /** Undefined without LEAKWATCH_ENCRYPTION_KEY: nothing was kept to revoke with. */
  vault: SealedBox | undefined;
  /** Announces the request to outbound hooks, as the pipeline does for automatic revocations. */
  events?: FindingEvents;
}

/**
 * Everything the outbound half of the Slack integration (owner DMs, button
 * clicks, `/leakwatch`, redaction, digests) uses. Built once by the Slack
 * integration from the service's dependencies and the Slack configuration.
 */
export interface SlackOutboundDeps {
  config: SlackConfig;
  /** Bot token client (`xoxb-`): DMs, thread notes, digests, reading channels it is in. */
  bot: WebClient;
  /**
   * The bot client without automatic retries, for owner DMs: a post that timed out may have arrived, so the
   * notify job checks (`findDelivered`) before posting again. Defaults to `bot`.
   */
  botPosting?: WebClient;
  /** Admin user token client (`xoxp-`, SLACK_ADMIN_USER_TOKEN): edits and deletes other people's messages. */
  admin?: WebClient;
  db: Kysely<Database>;
  boss: PgBoss;
  logger: Logger;
  now(): Date;
  detectors: ReadonlyMap<string, Detector>;
  /** Without it the "Revoke it now" button is not offered. */
  revocation?: SlackRevocationDeps;
}
