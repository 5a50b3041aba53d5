import type { Kysely } from 'kysely';
import type { PgBoss } from 'pg-boss';
import type { Detector } from '../core/detector.ts';
import type { Severity } from '../core/severity.ts';
import type { AllowlistEntry, Database, Finding, Identity } from '../db/schema.ts';
import type { Scanner } from '../detection/scanner.ts';
import type { SealedBox } from '../findings/sealed-box.ts';
import type { Logger } from '../logger.ts';
import type { Notifier } from '../notify/notifier.ts';
import type { VerificationRunner } from '../verification/runner.ts';

export type FindingEventType =
  'finding.created' | 'finding.verified_live' | 'finding.revoke_requested' | 'finding.resolved';

/** Publishes lifecycle events to outbound hooks (durably, as jobs). */
export interface FindingEvents {
  emit(type: FindingEventType, finding: Finding, sealedSecret?: string): Promise<void>;
}

export interface RevocationDecider {
  modeFor(finding: { detectorId: string; issuer: string; severity: Severity }): 'off' | 'manual' | 'auto';
  dryRun: boolean;
}

/** Everything the workers share; built once per process by the service. */
export interface PipelineContext {
  db: Kysely<Database>;
  boss: PgBoss;
  scanner: Scanner;
  detectors: ReadonlyMap<string, Detector>;
  verification: VerificationRunner;
  /** Seals secrets while they wait in job payloads. */
  transit: SealedBox;
  /** Opt-in long-term vault for re-verification (LEAKWATCH_ENCRYPTION_KEY). */
  vault: SealedBox | undefined;
  notifier: Notifier;
  /**
   * Asks the author's platform who they are (email, active) when the event did not say,
   * so the owner can be reached on Slack; null when the platform cannot tell.
   */
  resolveIdentity(identity: Identity): Promise<Partial<Pick<Identity, 'email' | 'display_name' | 'active'>> | null>;
  /** Whether findings seen on this platform are redacted at the source as soon as they are recorded. */
  autoRedact(platform: string): boolean;
  revocation: RevocationDecider;
  events: FindingEvents;
  /** Allowlist entries in force, briefly cached so each recorded document does not re-read them. */
  allowlist(now: Date): Promise<AllowlistEntry[]>;
  logger: Logger;
  now(): Date;
  reverify: { intervalSeconds: number; graceSeconds: number };
}
