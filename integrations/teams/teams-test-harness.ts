import { http, HttpResponse } from 'msw';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import { SealedBox } from '../../src/findings/sealed-box.ts';
import { createDocumentSink } from '../../src/jobs/document-sink.ts';
import { startJobQueue } from '../../src/jobs/job-queue.ts';
import type { ScanJob } from '../../src/jobs/queues.ts';
import { createLogger } from '../../src/logger.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { clientStateSource } from './client-state.ts';
import { createGraphTokenSource } from './graph-auth.ts';
import { createGraphClient } from './graph-client.ts';
import type { ChatMessage } from './message-documents.ts';
import { loadTeamsConfig, type TeamsConfig } from './teams-config.ts';
import { createTeamsQueues, type TeamsContext } from './teams-context.ts';

/** Test-only helpers shared by the Teams tests: Graph fixtures in Graph's own shapes and a real database + pg-boss. */

export const TENANT = '2432b57b-0abd-43db-aa7b-16eadd115d34';
export const CLIENT_ID = '6731de76-14a6-49ae-97bc-6eba6914391e';
export const TEAM = 'fbe2bf47-16c8-47cf-b4a5-4b9b187c508b';
export const CHANNEL = '19:4a95f7d8db4c4e7fae857bcebe0623e6@thread.tacv2';
export const CHAT = '19:2da4c29f6d7041eca70b638b43d45437@thread.v2';
export const USER = '8ea0e38b-efb3-4757-924a-5f94061cf8c2';
export const GRAPH = 'https://graph.microsoft.com/v1.0';
export const CLIENT_STATE = 'secret-client-state-0123456789abcdef';
/** GitHub PATs from the detector's own examples (valid checksums, not live tokens). */
export const GITHUB_TOKEN = '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';
export const OTHER_GITHUB_TOKEN = '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';
const TRANSIT_KEY = 'teams-test-transit-key-0123456789abcdef012345';

export function teamsTestConfig(env: Record<string, string> = {}): TeamsConfig {
  return loadTeamsConfig({
    TEAMS_TENANT_ID: TENANT,
    TEAMS_CLIENT_ID: CLIENT_ID,
    TEAMS_CLIENT_SECRET: 'test-client-secret',
    TEAMS_CLIENT_STATE: CLIENT_STATE,
    ...env,
  })!;
}

/** Entra ID's token endpoint for the test tenant (msal uses built-in metadata for login.microsoftonline.com). */
export function tokenEndpoint() {
  return http.post(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, () =>
    HttpResponse.json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'app-token' }),
  );
}

/** A chatMessage as Graph returns it from channel and chat listings (fields leakwatch does not read trimmed). */
export function chatMessage(overrides: Partial<ChatMessage> & { id: string }): ChatMessage {
  const created = new Date(Number(overrides.id) || Date.parse('2025-11-27T22:18:03.514Z')).toISOString();
  return {
    replyToId: null,
    etag: overrides.id,
    messageType: 'message',
    createdDateTime: created,
    lastModifiedDateTime: created,
    lastEditedDateTime: null,
    deletedDateTime: null,
    subject: null,
    chatId: null,
    webUrl: null,
    policyViolation: null,
    from: { user: { id: USER, displayName: 'Robin Kline', userIdentityType: 'aadUser' }, application: null },
    body: { contentType: 'text', content: 'Hello' },
    channelIdentity: null,
    attachments: [],
    ...overrides,
  };
}

export function channelMessage(overrides: Partial<ChatMessage> & { id: string }): ChatMessage {
  return chatMessage({
    channelIdentity: { teamId: TEAM, channelId: CHANNEL },
    webUrl: `https://teams.microsoft.com/l/message/${encodeURIComponent(CHANNEL)}/${overrides.id}?groupId=${TEAM}&tenantId=${TENANT}`,
    ...overrides,
  });
}

export interface TeamsTestBed {
  handle: DatabaseHandle & { drop(): Promise<void> };
  boss: PgBoss;
  transit: SealedBox;
  logs: string[];
  context(config?: TeamsConfig, now?: () => Date): TeamsContext;
  /** Scan jobs queued so far, with their text unsealed. */
  scanJobs(): Promise<Array<ScanJob & { text: string }>>;
  jobs<T>(queue: string): Promise<Array<{ data: T; startAfter: Date; singletonKey: string | null }>>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * One Teams test bed per test file, started once (`beforeAll`), emptied before every test (`beforeEach`: jobs,
 * cursors, inbound events, backfill runs, audit log, logs) and closed after the file (`afterAll`). The returned
 * object reads through to the running bed, so it can be used in tests and hooks but not at module load. The hooks
 * own the lifecycle, hence no `reset`/`close` on it.
 *
 * @example
 *   const bed = useTeamsTestBed();
 *   it('queues a scan', async () => {
 *     await fetchNotifiedMessage(bed.context(), { resource });
 *     expect(await bed.scanJobs()).toHaveLength(1);
 *   });
 */
export function useTeamsTestBed(): Omit<TeamsTestBed, 'reset' | 'close'> {
  let started: TeamsTestBed | undefined;
  const bed = () => {
    if (!started) {
      throw new Error('The Teams test bed exists only in tests and hooks (useTeamsTestBed starts it in beforeAll)');
    }
    return started;
  };
  // Creating the database and pg-boss schema can take long on a busy machine or a remote PostgreSQL.
  beforeAll(async () => {
    started = await startTeamsTestBed();
  }, 120_000);
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  beforeEach(async () => {
    await bed().reset();
  });
  return {
    get handle() {
      return bed().handle;
    },
    get boss() {
      return bed().boss;
    },
    get transit() {
      return bed().transit;
    },
    get logs() {
      return bed().logs;
    },
    context: (config, now) => bed().context(config, now),
    scanJobs: () => bed().scanJobs(),
    jobs: <T>(queue: string) => bed().jobs<T>(queue),
  };
}

/**
 * A migrated test database, pg-boss on it (core and Teams queues), and a real document sink. Test files use
 * `useTeamsTestBed()`, which wires this into the vitest lifecycle.
 */
export async function startTeamsTestBed(): Promise<TeamsTestBed> {
  const handle = await createTestDatabase();
  const boss = await startJobQueue(handle, { supervise: false });
  await createTeamsQueues(boss);
  const transit = new SealedBox(TRANSIT_KEY, 'transit');
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });
  return {
    handle,
    boss,
    transit,
    logs,
    context(config = teamsTestConfig(), now = () => new Date()) {
      const tokens = createGraphTokenSource(config, { now });
      return {
        config,
        graph: createGraphClient({ baseUrl: config.graphApiUrl, tokens, now }),
        db: handle.db,
        boss,
        sink: createDocumentSink(boss, transit, now),
        logger,
        now,
        clientState: clientStateSource(handle.db, config),
      };
    },
    async scanJobs() {
      const jobs = await boss.findJobs<ScanJob>('scan');
      return jobs
        .sort((a, b) => a.createdOn.getTime() - b.createdOn.getTime())
        .map((j) => ({ ...j.data, text: transit.open(j.data.sealedText) }));
    },
    async jobs<T>(queue: string) {
      const jobs = await boss.findJobs<T>(queue);
      return jobs
        .filter((j) => j.state === 'created' || j.state === 'retry')
        .map((j) => ({ data: j.data, startAfter: j.startAfter, singletonKey: j.singletonKey }));
    },
    async reset() {
      await boss.deleteAllJobs();
      for (const table of ['connector_cursors', 'inbound_events', 'backfill_runs', 'audit_log'] as const) {
        await handle.db.deleteFrom(table).execute();
      }
      logs.length = 0;
    },
    async close() {
      await boss.stop({ graceful: false, close: true });
      await handle.drop();
    },
  };
}
