import { sql, type Kysely } from 'kysely';
import type { DocumentRef } from '../core/document.ts';
import type { Severity } from '../core/severity.ts';
import { activeAllowlistEntries } from '../db/allowlist-repository.ts';
import type { Executor } from '../db/executor.ts';
import type { AllowlistEntry, Database, Finding } from '../db/schema.ts';
import { matchAllowlist } from './allowlist.ts';
import type { SealedBox } from './sealed-box.ts';

/**
 * A match as it travels from the scan to the store: everything but the raw
 * secret, which is sealed under the transit key.
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
  /**
   * Runs in the recording transaction once everything is written, so what the
   * caller queues from the results (the next pipeline jobs) commits with them.
   */
  inTransaction?: (trx: Executor, results: readonly RecordResult[]) => Promise<void>;
}

export interface DocumentSighting {
  ref: DocumentRef;
  matches: readonly SealedMatch[];
  seenAt: Date;
}

/** Records what a scan of one document found; see `recordDocuments`. */
export async function recordDocument(
  db: Kysely<Database>,
  input: DocumentSighting,
  deps: RecordDependencies,
): Promise<RecordResult> {
  const [result] = await recordDocuments(db, [input], deps);
  return result!;
}

const placeKey = (ref: DocumentRef) => JSON.stringify([ref.platform, ref.workspace, ref.container, ref.item]);
const findingKey = (detectorId: string, fingerprint: string) => `${detectorId}\u0000${fingerprint}`;

/**
 * Records what scans of several documents found, in one transaction and a
 * fixed number of statements whatever the batch size: the authors'
 * identities, one finding per credential (de-duplicated by fingerprint), one
 * occurrence per place, allowlisted matches counted (not stored), occurrences
 * of credentials no longer in their item closed, and an audit row for every
 * new or re-opened finding. Safe to run twice for the same documents.
 *
 * A place seen twice in one batch (an edit right after the post) is handled
 * in order: the batch is split into rounds in which each place appears once.
 */
export async function recordDocuments(
  db: Kysely<Database>,
  inputs: readonly DocumentSighting[],
  deps: RecordDependencies,
): Promise<RecordResult[]> {
  if (inputs.length === 0) return [];
  const latest = inputs.reduce((max, i) => (i.seenAt > max ? i.seenAt : max), inputs[0]!.seenAt);
  const entries = await (deps.allowlist ? deps.allowlist(latest) : activeAllowlistEntries(db, latest));
  const results: RecordResult[] = new Array(inputs.length);
  const record = async (trx: Executor) => {
    for (const round of roundsByPlace(inputs)) {
      const roundResults = await recordRound(
        trx,
        round.map((i) => inputs[i]!),
        entries,
        deps,
      );
      round.forEach((inputIndex, k) => (results[inputIndex] = roundResults[k]!));
    }
    await deps.inTransaction?.(trx, results);
  };
  // Documents without a match (nearly all of them) only close what was edited away: one statement per
  // round, each complete on its own, so no transaction (two round trips fewer on the ingest path).
  if (inputs.every((input) => input.matches.length === 0)) await record(db);
  else await db.transaction().execute(record);
  return results;
}

/** Splits input indexes into rounds where each place occurs at most once, keeping order. */
function roundsByPlace(inputs: readonly DocumentSighting[]): number[][] {
  const rounds: number[][] = [];
  const roundOfPlace = new Map<string, number>();
  inputs.forEach((input, index) => {
    const key = placeKey(input.ref);
    const round = (roundOfPlace.get(key) ?? -1) + 1;
    roundOfPlace.set(key, round);
    (rounds[round] ??= []).push(index);
  });
  return rounds;
}

async function recordRound(
  trx: Executor,
  inputs: readonly DocumentSighting[],
  entries: readonly AllowlistEntry[],
  deps: RecordDependencies,
): Promise<RecordResult[]> {
  // Allowlisted matches are counted on their entry, never stored.
  const allowlistHits = new Map<string, { count: number; at: Date }>();
  const allowlisted = inputs.map(() => 0);
  const kept: Array<{ doc: number; match: SealedMatch }> = [];
  inputs.forEach((input, doc) => {
    for (const match of input.matches) {
      const entry = matchAllowlist(entries, {
        detectorId: match.detectorId,
        fingerprint: match.fingerprint,
        ref: input.ref,
        secret: () => deps.transit.open(match.sealedSecret),
      });
      if (!entry) {
        kept.push({ doc, match });
        continue;
      }
      allowlisted[doc]!++;
      const hit = allowlistHits.get(entry.id);
      if (!hit) allowlistHits.set(entry.id, { count: 1, at: input.seenAt });
      else {
        hit.count++;
        if (input.seenAt > hit.at) hit.at = input.seenAt;
      }
    }
  });
  for (const [id, hit] of allowlistHits) {
    await trx
      .updateTable('allowlist_entries')
      .set({ hits: sql`hits + ${hit.count}`, last_hit_at: hit.at })
      .where('id', '=', id)
      .execute();
  }

  // Only the authors of what is kept become identities: people who never posted a credential are not recorded.
  const keptDocs = new Set(kept.map((k) => k.doc));
  const authorIds = await upsertAuthors(
    trx,
    inputs.map((input, doc) => (keptDocs.has(doc) ? input : undefined)),
  );
  const findings = await upsertFindings(trx, inputs, kept, authorIds);
  const occurrenceIds = await upsertOccurrences(trx, inputs, kept, findings, authorIds);
  const closed = await closeOccurrencesNotIn(trx, inputs, occurrenceIds);

  const audits = [...findings.values()]
    .filter((f) => f.created || f.reopened)
    .map((f) => ({
      actor: 'system',
      action: f.created ? 'finding.created' : 'finding.reopened',
      target_type: 'finding',
      target_id: f.finding.id,
      details: JSON.stringify({
        detector: f.finding.detector_id,
        redacted: f.finding.redacted,
        platform: inputs[f.firstDoc]!.ref.platform,
      }),
    }));
  if (audits.length > 0) await trx.insertInto('audit_log').values(audits).execute();

  if (deps.vault && kept.length > 0) {
    const vault = deps.vault;
    const rows = new Map<string, string>();
    for (const { match } of kept) {
      const id = findings.get(findingKey(match.detectorId, match.fingerprint))!.finding.id;
      if (rows.has(id)) continue;
      const secret = deps.transit.open(match.sealedSecret);
      const parts = Object.fromEntries(
        Object.entries(match.sealedParts).map(([name, sealed]) => [name, deps.transit.open(sealed)]),
      );
      rows.set(id, vault.seal(JSON.stringify({ secret, parts })));
    }
    await trx
      .insertInto('secret_vault')
      .values([...rows].map(([finding_id, sealed]) => ({ finding_id, sealed })))
      .onConflict((oc) => oc.column('finding_id').doNothing())
      .execute();
  }

  return inputs.map((_, doc) => {
    const recorded = kept
      .filter((k) => k.doc === doc)
      .map(({ match }) => {
        const f = findings.get(findingKey(match.detectorId, match.fingerprint))!;
        // Only the first sighting in the batch reports the creation, so a new finding is announced once.
        const first = f.firstDoc === doc && f.firstMatch === match;
        return {
          findingId: f.finding.id,
          finding: f.finding,
          created: f.created && first,
          reopened: f.reopened && first,
          status: f.finding.status,
          match,
        };
      });
    return { recorded, allowlisted: allowlisted[doc]!, closedOccurrences: closed[doc]! };
  });
}

/** Identity id per input (null without an author id), creating or enriching identity rows. */
/** Identity ids of the inputs' authors (null where there is no input or no author). */
async function upsertAuthors(
  trx: Executor,
  inputs: ReadonlyArray<DocumentSighting | undefined>,
): Promise<(string | null)[]> {
  const authors = new Map<string, { platform: string; id: string; email: string | null; name: string | null }>();
  for (const input of inputs) {
    const ref = input?.ref;
    if (!ref?.author?.id) continue;
    const key = JSON.stringify([ref.platform, ref.author.id]);
    const prior = authors.get(key);
    authors.set(key, {
      platform: ref.platform,
      id: ref.author.id,
      email: ref.author.email ?? prior?.email ?? null,
      name: ref.author.name ?? prior?.name ?? null,
    });
  }
  if (authors.size === 0) return inputs.map(() => null);
  const rows = await trx
    .insertInto('identities')
    .values(
      [...authors.values()].map((a) => ({
        platform: a.platform,
        platform_user_id: a.id,
        email: a.email,
        display_name: a.name,
        slack_user_id: a.platform === 'slack' ? a.id : null,
      })),
    )
    // Existing values are kept when an event lacks them; an admin's edits are not overwritten with nulls.
    .onConflict((oc) =>
      oc.columns(['platform', 'platform_user_id']).doUpdateSet((eb) => ({
        email: eb.fn.coalesce('identities.email', 'excluded.email'),
        display_name: eb.fn.coalesce('identities.display_name', 'excluded.display_name'),
        updated_at: new Date(),
      })),
    )
    .returning(['id', 'platform', 'platform_user_id'])
    .execute();
  const ids = new Map(rows.map((r) => [JSON.stringify([r.platform, r.platform_user_id]), r.id]));
  return inputs.map((input) =>
    input?.ref.author?.id ? (ids.get(JSON.stringify([input.ref.platform, input.ref.author.id])) ?? null) : null,
  );
}

interface UpsertedFinding {
  finding: Finding;
  created: boolean;
  /** A resolved finding whose secret appeared again. */
  reopened: boolean;
  firstDoc: number;
  firstMatch: SealedMatch;
}

/**
 * One statement for all credentials of the round. Existing rows are locked
 * first so their prior status tells a re-opening apart; concurrent workers
 * racing on a new fingerprint are serialised by the unique index, and
 * `xmax = 0` tells the one that inserted it.
 */
async function upsertFindings(
  trx: Executor,
  inputs: readonly DocumentSighting[],
  kept: ReadonlyArray<{ doc: number; match: SealedMatch }>,
  authorIds: readonly (string | null)[],
): Promise<Map<string, UpsertedFinding>> {
  const out = new Map<string, UpsertedFinding>();
  if (kept.length === 0) return out;
  const candidates = new Map<string, { doc: number; match: SealedMatch; seenAt: Date; owner: string | null }>();
  for (const { doc, match } of kept) {
    const key = findingKey(match.detectorId, match.fingerprint);
    const seenAt = inputs[doc]!.seenAt;
    const prior = candidates.get(key);
    if (!prior) candidates.set(key, { doc, match, seenAt, owner: authorIds[doc] ?? null });
    else {
      if (seenAt > prior.seenAt) prior.seenAt = seenAt;
      prior.owner ??= authorIds[doc] ?? null;
    }
  }
  // Rows are locked in one order (by key) in every transaction, so concurrent batches wait instead of deadlocking.
  const list = [...candidates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
  const existing = await trx
    .selectFrom('findings')
    .select(['detector_id', 'fingerprint', 'status'])
    // Keys as two arrays (not a list of row literals): the planner probes the unique index once per key
    // instead of testing every row against a long OR.
    .where(
      (eb) =>
        sql<boolean>`${eb.refTuple('detector_id', 'fingerprint')} in (select * from unnest(${list.map((c) => c.match.detectorId)}::text[], ${list.map((c) => c.match.fingerprint)}::text[]))`,
    )
    .orderBy('detector_id')
    .orderBy('fingerprint')
    .forUpdate()
    .execute();
  const priorStatus = new Map(existing.map((r) => [findingKey(r.detector_id, r.fingerprint), r.status]));
  const now = new Date();
  const rows = await trx
    .insertInto('findings')
    .values(
      list.map((c) => ({
        detector_id: c.match.detectorId,
        issuer: c.match.issuer,
        fingerprint: c.match.fingerprint,
        redacted: c.match.redacted,
        severity: c.match.severity,
        confidence: c.match.confidence,
        owner_identity_id: c.owner,
        first_seen_at: c.seenAt,
        last_seen_at: c.seenAt,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['detector_id', 'fingerprint']).doUpdateSet({
        last_seen_at: sql`greatest(findings.last_seen_at, excluded.last_seen_at)`,
        owner_identity_id: sql`coalesce(findings.owner_identity_id, excluded.owner_identity_id)`,
        updated_at: now,
        status: sql`case when findings.status = 'resolved' then 'reopened' else findings.status end`,
        status_changed_at: sql`case when findings.status = 'resolved' then ${now}::timestamptz else findings.status_changed_at end`,
        resolved_at: sql`case when findings.status = 'resolved' then null else findings.resolved_at end`,
      }),
    )
    .returningAll()
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .execute();
  for (const row of rows) {
    const { inserted, ...finding } = row;
    const key = findingKey(finding.detector_id, finding.fingerprint);
    const candidate = candidates.get(key)!;
    out.set(key, {
      finding,
      created: inserted,
      reopened: !inserted && priorStatus.get(key) === 'resolved',
      firstDoc: candidate.doc,
      firstMatch: candidate.match,
    });
  }
  return out;
}

/** One row per finding and place; seeing it again refreshes (and re-opens) the row. Returns the ids kept open. */
async function upsertOccurrences(
  trx: Executor,
  inputs: readonly DocumentSighting[],
  kept: ReadonlyArray<{ doc: number; match: SealedMatch }>,
  findings: ReadonlyMap<string, UpsertedFinding>,
  authorIds: readonly (string | null)[],
): Promise<string[]> {
  if (kept.length === 0) return [];
  // The same credential twice in one item is one occurrence (the last span wins, as a re-sighting would).
  const rows = new Map<string, Record<string, unknown>>();
  for (const { doc, match } of kept) {
    const { ref, seenAt } = inputs[doc]!;
    const findingId = findings.get(findingKey(match.detectorId, match.fingerprint))!.finding.id;
    rows.set(`${findingId}\u0000${placeKey(ref)}`, {
      finding_id: findingId,
      platform: ref.platform,
      workspace: ref.workspace,
      container: ref.container,
      item: ref.item,
      version: ref.version ?? null,
      url: ref.url ?? null,
      author_identity_id: authorIds[doc] ?? null,
      span_start: match.start,
      span_end: match.end,
      first_seen_at: seenAt,
      last_seen_at: seenAt,
    });
  }
  const upserted = await trx
    .insertInto('occurrences')
    .values([...rows.values()] as never)
    .onConflict((oc) =>
      oc.columns(['finding_id', 'platform', 'workspace', 'container', 'item']).doUpdateSet({
        version: sql`excluded.version`,
        url: sql`excluded.url`,
        span_start: sql`excluded.span_start`,
        span_end: sql`excluded.span_end`,
        last_seen_at: sql`excluded.last_seen_at`,
        closed_at: null,
        closed_reason: null,
      }),
    )
    .returning('id')
    .execute();
  return upserted.map((r) => r.id);
}

/**
 * Closes open occurrences in the round's items that this sighting did not
 * keep (the secret was edited away, or the item deleted). Returns the count per input.
 */
async function closeOccurrencesNotIn(
  trx: Executor,
  inputs: readonly DocumentSighting[],
  keepOccurrenceIds: readonly string[],
): Promise<number[]> {
  const at = inputs.reduce((max, i) => (i.seenAt > max ? i.seenAt : max), inputs[0]!.seenAt);
  let query = trx
    .updateTable('occurrences')
    .set({ closed_at: at, closed_reason: 'no longer in the item' })
    .where('closed_at', 'is', null)
    // Each column's values as an index condition too: the planner then probes the place index even
    // before the table has statistics (a new install, a burst), instead of scanning the whole table.
    .where('platform', '=', sql<string>`any(${distinct(inputs.map(({ ref }) => ref.platform))}::text[])`)
    .where('workspace', '=', sql<string>`any(${distinct(inputs.map(({ ref }) => ref.workspace))}::text[])`)
    .where('container', '=', sql<string>`any(${distinct(inputs.map(({ ref }) => ref.container))}::text[])`)
    .where('item', '=', sql<string>`any(${distinct(inputs.map(({ ref }) => ref.item))}::text[])`)
    .where(
      (eb) =>
        sql<boolean>`${eb.refTuple('platform', 'workspace', 'container', 'item')} in (select * from unnest(${inputs.map(({ ref }) => ref.platform)}::text[], ${inputs.map(({ ref }) => ref.workspace)}::text[], ${inputs.map(({ ref }) => ref.container)}::text[], ${inputs.map(({ ref }) => ref.item)}::text[]))`,
    );
  if (keepOccurrenceIds.length > 0) query = query.where('id', 'not in', [...keepOccurrenceIds]);
  const closed = await query.returning(['platform', 'workspace', 'container', 'item']).execute();
  const perPlace = new Map<string, number>();
  for (const row of closed) {
    const key = JSON.stringify([row.platform, row.workspace, row.container, row.item]);
    perPlace.set(key, (perPlace.get(key) ?? 0) + 1);
  }
  return inputs.map(({ ref }) => perPlace.get(placeKey(ref)) ?? 0);
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
