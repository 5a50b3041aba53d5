import type { Kysely } from 'kysely';
import type { DocumentRef } from '../core/document.ts';
import type { Severity } from '../core/severity.ts';
import { countAllowlistHit, activeAllowlistEntries } from '../db/allowlist-repository.ts';
import { writeAudit } from '../db/audit-repository.ts';
import { upsertFinding } from '../db/findings-repository.ts';
import { upsertAuthorIdentity } from '../db/identities-repository.ts';
import { closeOccurrencesNotIn, upsertOccurrence } from '../db/occurrences-repository.ts';
import type { AllowlistEntry, Database, Finding } from '../db/schema.ts';
import { matchAllowlist } from './allowlist.ts';
import type { SealedBox } from './sealed-box.ts';

/**
 * A match as it travels from the scan job to the record job: everything but
 * the raw secret, which is sealed under the transit key.
 */
export interface SealedMatch {
  detectorId: string;
  issuer: string;
  severity: Severity;
  confidence: number;
  fingerprint: string;
  redacted: string;
  start: number;
  end: number;
  /** The secret, sealed with the transit key. */
  sealedSecret: string;
  /** Companion parts by name, sealed with the transit key. */
  sealedParts: Record<string, string>;
}

export interface RecordedFinding {
  findingId: string;
  /** The finding as stored after this sighting. */
  finding: Finding;
  created: boolean;
  reopened: boolean;
  /** Status after recording; verification is only queued for findings still needing action. */
  status: string;
  match: SealedMatch;
}

export interface RecordResult {
  recorded: RecordedFinding[];
  allowlisted: number;
  closedOccurrences: number;
}

export interface RecordDependencies {
  transit: SealedBox;
  /** Opt-in vault (LEAKWATCH_ENCRYPTION_KEY) keeping secrets for later re-verification. */
  vault?: SealedBox;
  /** Source of allowlist entries in force (a short-lived cache in the service); default: query each time. */
  allowlist?: (now: Date) => Promise<AllowlistEntry[]>;
}

/**
 * Records what a scan of one document found, in one transaction: the author's
 * identity, one finding per credential (de-duplicated by fingerprint), one
 * occurrence per place, allowlisted matches counted (not stored), occurrences
 * of credentials no longer in the document closed, and an audit row for every
 * new or re-opened finding. Safe to run twice for the same document.
 */
export async function recordDocument(
  db: Kysely<Database>,
  input: { ref: DocumentRef; matches: readonly SealedMatch[]; seenAt: Date },
  deps: RecordDependencies,
): Promise<RecordResult> {
  const entries = await (deps.allowlist ? deps.allowlist(input.seenAt) : activeAllowlistEntries(db, input.seenAt));
  return db.transaction().execute(async (trx) => {
    const authorId = await upsertAuthorIdentity(trx, input.ref.platform, input.ref.author);
    const recorded: RecordedFinding[] = [];
    let allowlisted = 0;
    for (const match of input.matches) {
      const entry = matchAllowlist(entries, {
        detectorId: match.detectorId,
        fingerprint: match.fingerprint,
        ref: input.ref,
        secret: () => deps.transit.open(match.sealedSecret),
      });
      if (entry) {
        allowlisted++;
        await countAllowlistHit(trx, entry.id, input.seenAt);
        continue;
      }
      const { finding, created, reopened } = await upsertFinding(trx, {
        detectorId: match.detectorId,
        issuer: match.issuer,
        fingerprint: match.fingerprint,
        redacted: match.redacted,
        severity: match.severity,
        confidence: match.confidence,
        seenAt: input.seenAt,
        ownerIdentityId: authorId,
      });
      await upsertOccurrence(trx, {
        findingId: finding.id,
        ref: input.ref,
        span: match,
        seenAt: input.seenAt,
        authorIdentityId: authorId,
      });
      if (created || reopened) {
        await writeAudit(trx, {
          actor: 'system',
          action: created ? 'finding.created' : 'finding.reopened',
          targetType: 'finding',
          targetId: finding.id,
          details: { detector: match.detectorId, redacted: match.redacted, platform: input.ref.platform },
        });
      }
      if (deps.vault) {
        const secret = deps.transit.open(match.sealedSecret);
        const parts = Object.fromEntries(
          Object.entries(match.sealedParts).map(([name, sealed]) => [name, deps.transit.open(sealed)]),
        );
        await trx
          .insertInto('secret_vault')
          .values({ finding_id: finding.id, sealed: deps.vault.seal(JSON.stringify({ secret, parts })) })
          .onConflict((oc) => oc.column('finding_id').doNothing())
          .execute();
      }
      recorded.push({ findingId: finding.id, finding, created, reopened, status: finding.status, match });
    }
    const closedOccurrences = await closeOccurrencesNotIn(
      trx,
      input.ref,
      [...new Set(recorded.map((r) => r.findingId))],
      'no longer in the item',
      input.seenAt,
    );
    return { recorded, allowlisted, closedOccurrences };
  });
}
