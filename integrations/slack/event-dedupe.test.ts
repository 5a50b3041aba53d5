import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { DocumentSink, InboundDocument } from '../../src/core/integration.ts';
import { createLogger } from '../../src/logger.ts';
import { createSlackEventStore } from './event-dedupe.ts';
import type { SlackEventEnvelope } from './message-events.ts';
import { useJobQueueBed } from '../../test/job-queue-bed.ts';

const logger = createLogger({ level: 'silent' });
const workspace = async () => ({ teamId: 'T0ACME0001', url: 'https://acme.slack.com/' });

const bed = useJobQueueBed();

/** Counts the statements sent through the Kysely instance it is plugged into. */
function statementCounter(): KyselyPlugin & { count: number; kinds: string[] } {
  return {
    count: 0,
    kinds: [],
    transformQuery(args: PluginTransformQueryArgs) {
      this.count++;
      this.kinds.push(args.node.kind);
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs) {
      return args.result;
    },
  };
}

/** A sink that keeps what it is given, or fails while `failing` is set. */
function recordingSink(): DocumentSink & { documents: InboundDocument[]; failing: boolean } {
  return {
    documents: [],
    failing: false,
    async submit(documents) {
      if (this.failing) throw new Error('database is unavailable');
      this.documents.push(...documents);
    },
  };
}

function envelope(eventId: string, ts: string): SlackEventEnvelope {
  return {
    type: 'event_callback',
    event_id: eventId,
    team_id: 'T0ACME0001',
    event: { type: 'message', channel: 'C0GENERAL1', user: 'U0ALICE001', text: `message ${ts}`, ts },
  };
}

async function storedIds(): Promise<string[]> {
  const rows = await bed.database.db
    .selectFrom('inbound_events')
    .select('event_id')
    .where('platform', '=', 'slack')
    .orderBy('event_id')
    .execute();
  return rows.map((r) => r.event_id);
}

describe('createSlackEventStore under concurrent events', () => {
  it('stores a burst of events with a few shared statements, each once, and drops their retries', async () => {
    const counter = statementCounter();
    const sink = recordingSink();
    const store = createSlackEventStore({
      db: bed.database.db.withPlugin(counter),
      sink,
      boss: bed.boss,
      logger,
      workspace,
    });
    const ids = Array.from({ length: 60 }, (_, i) => `Ev0BURST${String(i).padStart(3, '0')}`);

    const outcomes = await Promise.all(
      ids.map((id, i) => store(envelope(id, `1768471200.${String(i).padStart(6, '0')}`), {})),
    );

    expect(outcomes).toEqual(ids.map(() => 'stored'));
    expect(sink.documents.map((d) => d.ref.item).sort()).toEqual(
      ids.map((_, i) => `1768471200.${String(i).padStart(6, '0')}`),
    );
    expect(sink.documents[0]!.ref.url).toBe('https://acme.slack.com/archives/C0GENERAL1/p1768471200000000');
    expect(await storedIds()).toEqual(ids);
    // First deliveries are not looked up: one insert of the ids per batch, not a statement per event.
    expect(counter.count).toBeLessThanOrEqual(3);
    expect(counter.kinds).not.toContain('SelectQueryNode');

    const retries = await Promise.all(
      ids.slice(0, 5).map((id, i) => store(envelope(id, `1768471200.${String(i).padStart(6, '0')}`), { retryNum: 1 })),
    );
    expect(retries).toEqual(['duplicate', 'duplicate', 'duplicate', 'duplicate', 'duplicate']);
    expect(counter.kinds).toContain('SelectQueryNode');
    expect(sink.documents).toHaveLength(60);
  });

  it('fails every event of a batch whose documents could not be submitted, and records none of them', async () => {
    const sink = recordingSink();
    const store = createSlackEventStore({ db: bed.database.db, sink, boss: bed.boss, logger, workspace });
    sink.failing = true;
    const batch = ['Ev0DOWN0001', 'Ev0DOWN0002', 'Ev0DOWN0003'].map((id, i) =>
      store(envelope(id, `1768471300.00000${i}`), {}),
    );
    const settled = await Promise.allSettled(batch);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await storedIds()).not.toContain('Ev0DOWN0001');

    // Slack's retries find nothing recorded and store the events.
    sink.failing = false;
    const retried = await Promise.all(
      ['Ev0DOWN0001', 'Ev0DOWN0002', 'Ev0DOWN0003'].map((id, i) =>
        store(envelope(id, `1768471300.00000${i}`), { retryNum: 1, retryReason: 'http_error' }),
      ),
    );
    expect(retried).toEqual(['stored', 'stored', 'stored']);
    expect(await storedIds()).toEqual(expect.arrayContaining(['Ev0DOWN0001', 'Ev0DOWN0002', 'Ev0DOWN0003']));
  });

  it('stores an event delivered twice at the same moment at least once, never losing it', async () => {
    const sink = recordingSink();
    const store = createSlackEventStore({ db: bed.database.db, sink, boss: bed.boss, logger, workspace });
    const twice = await Promise.all([
      store(envelope('Ev0TWICE001', '1768471400.000001'), {}),
      store(envelope('Ev0TWICE001', '1768471400.000001'), { retryNum: 1 }),
    ]);
    // Both were looked up before either was recorded: both submit (the pipeline is idempotent), one row remains.
    expect(twice).toEqual(['stored', 'stored']);
    expect((await storedIds()).filter((id) => id === 'Ev0TWICE001')).toHaveLength(1);
    expect(await store(envelope('Ev0TWICE001', '1768471400.000001'), { retryNum: 2 })).toBe('duplicate');
  });
});
