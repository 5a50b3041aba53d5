import type { Kysely } from 'kysely';
import type { LocatedSecret, RedactionOutcome } from '../core/integration.ts';
import type { Database, Finding, Occurrence } from '../db/schema.ts';
import type { TextFormat } from '../detection/normalize.ts';
import type { Scanner } from '../detection/scanner.ts';
import { ACTIVE_STATUSES } from '../findings/lifecycle.ts';

/** A finding and its open occurrence in one item. */
export interface ItemSecret {
  finding: Finding;
  occurrence: Occurrence;
}

/**
 * The other secrets one redaction edit should take out with it: every still
 * active finding (allowlisted, false positive and resolved ones stay as they
 * are) with an open occurrence in the same item (platform, workspace,
 * container, item) as `occurrence`.
 */
export async function otherSecretsInItem(db: Kysely<Database>, occurrence: Occurrence): Promise<ItemSecret[]> {
  const occurrences = await db
    .selectFrom('occurrences')
    .selectAll()
    .where('platform', '=', occurrence.platform)
    .where('workspace', '=', occurrence.workspace)
    .where('container', '=', occurrence.container)
    .where('item', '=', occurrence.item)
    .where('closed_at', 'is', null)
    .where('finding_id', '!=', occurrence.finding_id)
    .where('finding_id', 'in', (eb) =>
      eb
        .selectFrom('findings')
        .select('id')
        .where('status', 'in', [...ACTIVE_STATUSES]),
    )
    .orderBy('id')
    .execute();
  if (occurrences.length === 0) return [];
  const ids = occurrences.map((o) => o.finding_id);
  const findings = await db.selectFrom('findings').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(findings.map((f) => [f.id, f]));
  return occurrences.flatMap((o) => {
    const finding = byId.get(o.finding_id);
    return finding ? [{ finding, occurrence: o }] : [];
  });
}

/** A `locate` for several findings at once, remembering which of them it found. */
export interface ItemLocator {
  locate(text: string, format: TextFormat): LocatedSecret[];
  /** Whether the integration called `locate` at all (it may give up before reading the item). */
  readonly called: boolean;
  /** Ids of the findings `locate` returned spans for, in any text it was given. */
  readonly seen: ReadonlySet<string>;
}

/**
 * Finds the findings' secrets (and their companion parts) in a text as it is
 * now, by scanning it once: spans in the text's own offsets, each with the
 * redacted form to write instead. No raw secret travels in the redact job.
 */
export function locateSecrets(scanner: Scanner, findings: readonly Finding[]): ItemLocator {
  const byKey = new Map(findings.map((f) => [`${f.detector_id}\u0000${f.fingerprint}`, f.id]));
  const seen = new Set<string>();
  let called = false;
  return {
    get called() {
      return called;
    },
    seen,
    locate(text, format) {
      called = true;
      return scanner.scan(text, { format }).flatMap((m) => {
        const id = byKey.get(`${m.detectorId}\u0000${m.fingerprint}`);
        if (id === undefined) return [];
        seen.add(id);
        return [
          { start: m.start, end: m.end, redacted: m.secret.redacted },
          ...m.parts.map((p) => ({ start: p.start, end: p.end, redacted: p.secret.redacted })),
        ];
      });
    },
  };
}

/**
 * What one edit of an item means for one finding in it: the integration
 * reports for the item as a whole, but a finding whose secret `locate` never
 * found there was not redacted (or warned about) by that edit: it is simply no
 * longer in the item.
 */
export function outcomeFor(findingId: string, locator: ItemLocator, outcome: RedactionOutcome): RedactionOutcome {
  if (
    (outcome.status === 'redacted' || outcome.status === 'warned') &&
    locator.called &&
    !locator.seen.has(findingId)
  ) {
    return { status: 'not_found', detail: 'the secret is no longer in the item' };
  }
  return outcome;
}
