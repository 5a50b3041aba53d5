import type { Executor } from '../../src/db/executor.ts';

export const PLATFORM = 'confluence';

/**
 * Which content versions were already handed to the pipeline, kept as
 * de-duplication keys in `inbound_events` (platform `confluence`):
 *
 * - `current:<host>:<id>:<n>`: version n was read as the current one (its history below n was read then too);
 * - `version:<host>:<id>:<k>`: historical version k was submitted as `…@v<k>`.
 *
 * A poll overlap, a webhook and a backfill that meet the same version read it
 * once; a version that turns historical is read once more as history. Keys are
 * written only after `DocumentSink.submit` resolved (at-least-once).
 */
export class VersionLedger {
  readonly #host: string;

  constructor(host: string) {
    this.#host = host;
  }

  currentKey(id: string, version: number): string {
    return `current:${this.#host}:${id}:${version}`;
  }

  historyKey(id: string, version: number): string {
    return `version:${this.#host}:${id}:${version}`;
  }

  /** The subset of `keys` not recorded yet. */
  async unseen(db: Executor, keys: readonly string[]): Promise<Set<string>> {
    const wanted = new Set(keys);
    if (wanted.size === 0) return wanted;
    const seen = await db
      .selectFrom('inbound_events')
      .select('event_id')
      .where('platform', '=', PLATFORM)
      .where('event_id', 'in', [...wanted])
      .execute();
    for (const row of seen) wanted.delete(row.event_id);
    return wanted;
  }

  async record(db: Executor, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    await db
      .insertInto('inbound_events')
      .values([...new Set(keys)].map((event_id) => ({ platform: PLATFORM, event_id })))
      .onConflict((oc) => oc.columns(['platform', 'event_id']).doNothing())
      .execute();
  }

  /**
   * Forgets the history keys of one content item: after versions were deleted
   * Confluence renumbered the rest, so the next read must look at them afresh.
   */
  async forgetHistory(db: Executor, id: string): Promise<void> {
    await db
      .deleteFrom('inbound_events')
      .where('platform', '=', PLATFORM)
      .where('event_id', 'like', `version:${this.#host}:${id}:%`)
      .execute();
  }
}
