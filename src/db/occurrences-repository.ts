import type { DocumentRef } from '../core/document.ts';
import type { Span } from '../core/match.ts';
import type { Executor } from './executor.ts';

/** One row per place a finding was seen; seeing it again in the same place refreshes (and re-opens) the row. */
export async function upsertOccurrence(
  db: Executor,
  input: { findingId: string; ref: DocumentRef; span: Span; seenAt: Date; authorIdentityId: string | null },
): Promise<void> {
  const { ref } = input;
  await db
    .insertInto('occurrences')
    .values({
      finding_id: input.findingId,
      platform: ref.platform,
      workspace: ref.workspace,
      container: ref.container,
      item: ref.item,
      version: ref.version ?? null,
      url: ref.url ?? null,
      author_identity_id: input.authorIdentityId,
      span_start: input.span.start,
      span_end: input.span.end,
      first_seen_at: input.seenAt,
      last_seen_at: input.seenAt,
    })
    .onConflict((oc) =>
      oc.columns(['finding_id', 'platform', 'workspace', 'container', 'item']).doUpdateSet({
        version: ref.version ?? null,
        url: ref.url ?? null,
        span_start: input.span.start,
        span_end: input.span.end,
        last_seen_at: input.seenAt,
        closed_at: null,
        closed_reason: null,
      }),
    )
    .execute();
}

/**
 * Closes open occurrences in an item whose findings are no longer in it (the
 * secret was edited away, or the item deleted). Returns how many were closed.
 */
export async function closeOccurrencesNotIn(
  db: Executor,
  ref: DocumentRef,
  keepFindingIds: readonly string[],
  reason: string,
  at: Date,
): Promise<number> {
  let query = db
    .updateTable('occurrences')
    .set({ closed_at: at, closed_reason: reason })
    .where('platform', '=', ref.platform)
    .where('workspace', '=', ref.workspace)
    .where('container', '=', ref.container)
    .where('item', '=', ref.item)
    .where('closed_at', 'is', null);
  if (keepFindingIds.length > 0) query = query.where('finding_id', 'not in', [...keepFindingIds]);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
