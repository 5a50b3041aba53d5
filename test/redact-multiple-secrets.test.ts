import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { detectors } from '../detectors/index.ts';
import {
  ADMIN_TOKEN,
  BOT_TOKEN,
  FakeSlack,
  leakedSlackToken,
  slackRef,
  type StoredMessage,
} from '../integrations/slack/outbound-test-kit.ts';
import { loadSlackConfig } from '../integrations/slack/slack-config.ts';
import { createSlackIntegration } from '../integrations/slack/slack-integration.ts';
import type { Integration } from '../src/core/integration.ts';
import { createApiKey } from '../src/db/api-keys-repository.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { withBase62Crc32 } from '../src/detection/checksums.ts';
import { createScanner } from '../src/detection/scanner.ts';
import { handleRedact } from '../src/jobs/redact-worker.ts';
import type { RedactJob } from '../src/jobs/queues.ts';
import { handleScan } from '../src/jobs/scan-worker.ts';
import type { Service } from '../src/service.ts';
import { useMswServer } from './msw-server.ts';
import { FINGERPRINT_KEY, dumpDatabase, eventually, startTestService, testConfig } from './service-harness.ts';
import { createTestDatabase } from './test-database.ts';

const server = useMswServer();

/** A fresh GitHub classic PAT (valid checksum), so each test's finding is its own. */
function githubToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return withBase62Crc32('ghp_', [...randomBytes(30)].map((b) => alphabet[b % alphabet.length]).join(''));
}
const CHANNEL = 'C0DEPLOYS';

let database: DatabaseHandle & { drop(): Promise<void> };
let slack: FakeSlack;
let clock = 1_764_200_000;

beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});
beforeEach(() => {
  slack = new FakeSlack();
  server.use(...slack.handlers());
});

/** The service with the real Slack integration (admin token, SLACK_REDACTION=edit) against the fake Slack API. */
function startService(workers: boolean) {
  const slackConfig = loadSlackConfig({
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
    SLACK_ADMIN_USER_TOKEN: ADMIN_TOKEN,
    SLACK_REDACTION: 'edit',
  })!;
  return startTestService(
    database,
    testConfig({ LEAKWATCH_VERIFY: 'false', LEAKWATCH_AUTO_REDACT: 'slack' }),
    { http: false, workers },
    { integrations: (deps) => [createSlackIntegration(slackConfig, deps)] },
  );
}

async function findingOf(token: string) {
  const [match] = createScanner({ detectors, fingerprintKey: FINGERPRINT_KEY }).scan(token, { format: 'plain' });
  return database.db
    .selectFrom('findings')
    .selectAll()
    .where('fingerprint', '=', match!.fingerprint)
    .executeTakeFirst();
}

/** A token whose finding a triager marked as a false positive, through the admin API, before the leak below. */
async function falsePositive(service: Service, workers: boolean): Promise<string> {
  const token = leakedSlackToken();
  await service.sink.submit([
    {
      ref: { platform: 'memo', workspace: 'w', container: 'fixtures', item: `fp-${++clock}` },
      text: `test fixture ${token}`,
      format: 'plain',
    },
  ]);
  if (!workers) await scanQueued(service);
  const finding = await eventually(() => findingOf(token));
  const { key } = await createApiKey(database.db, {
    name: `triage-${clock}`,
    scopes: ['findings:read', 'findings:write'],
  });
  const response = await service.app.request(
    `/api/v1/findings/${finding.id}/false-positive`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ note: 'a test fixture' }),
    },
    { incoming: { socket: { remoteAddress: '192.0.2.1' } } },
  );
  expect(response.status).toBe(200);
  return token;
}

/** A token allowlisted by its fingerprint (before the service starts: it caches entries): recorded as no finding. */
async function allowlisted(): Promise<string> {
  const token = leakedSlackToken();
  const [match] = createScanner({ detectors, fingerprintKey: FINGERPRINT_KEY }).scan(token, { format: 'plain' });
  await database.db
    .insertInto('allowlist_entries')
    .values({ kind: 'fingerprint', fingerprint: match!.fingerprint, reason: 'demo token', created_by: 'admin' })
    .execute();
  return token;
}

async function scanQueued(service: Service) {
  for (;;) {
    const jobs = await service.ctx.boss.fetch('scan', { batchSize: 10 });
    if (jobs.length === 0) return;
    for (const job of jobs) {
      await handleScan(service.ctx, job.data as never);
      await service.ctx.boss.complete('scan', job.id);
    }
  }
}

/** One Slack message holding two active secrets, one false positive and one allowlisted, scanned by the pipeline. */
async function leak(service: Service, workers: boolean, ok: string) {
  const active = leakedSlackToken();
  const github = githubToken();
  const fp = await falsePositive(service, workers);
  const ts = `${++clock}.000100`;
  const text = `prod bot ${active} and CI ${github} (sandbox ${fp}, demo ${ok})`;
  const message = slack.addMessage({ channel: CHANNEL, ts, text, user: 'U0DANA' });
  await service.sink.submit([{ ref: slackRef(CHANNEL, ts, 'U0DANA'), text, format: 'slack' }]);
  if (!workers) await scanQueued(service);
  const a = await eventually(() => findingOf(active));
  const b = await eventually(() => findingOf(github));
  const c = (await findingOf(fp))!;
  expect([a.status, b.status, c.status]).toEqual(['open', 'open', 'false_positive']);
  expect(await findingOf(ok)).toBeUndefined();
  return { message, tokens: { active, github, fp, ok }, findings: { a, b, c } };
}

function byPlatform(service: Service): Map<string, Integration> {
  return new Map(service.integrations.map((i) => [i.platform, i]));
}

function editsOf(message: StoredMessage) {
  return slack.callsTo('chat.update').filter((c) => c.params.ts === message.ts);
}

async function redactionsAt(item: string) {
  return database.db
    .selectFrom('redactions')
    .innerJoin('occurrences', 'occurrences.id', 'redactions.occurrence_id')
    .select(['redactions.finding_id', 'redactions.status'])
    .where('occurrences.item', '=', item)
    .execute();
}

/** The worker's audit rows (target: the finding) for redactions in one item. */
async function redactionAudits(item: string) {
  const rows = await database.db
    .selectFrom('audit_log')
    .select(['action', 'target_id', 'details'])
    .where('action', 'like', 'occurrence.redaction_%')
    .where('target_type', '=', 'finding')
    .execute();
  return rows.filter((r) => (r.details as { item?: string } | null)?.item === item);
}

describe('redacting an item that holds several secrets', () => {
  it('replaces every active secret in one edit; the next finding’s job edits nothing again', async () => {
    const ok = await allowlisted();
    const { service, logs } = await startService(false);
    try {
      const { message, tokens, findings } = await leak(service, false, ok);
      const { a, b, c } = findings;
      // The redact jobs the scan queued for this message: one per active finding, none for the false positive.
      const queued = await service.ctx.boss.fetch('redact', { batchSize: 10 });
      expect(queued.map((j) => (j.data as { findingId: string }).findingId).sort()).toEqual([a.id, b.id].sort());
      await service.ctx.boss.complete(
        'redact',
        queued.map((j) => j.id),
      );
      const first = queued.find((j) => (j.data as { findingId: string }).findingId === a.id)!.data as RedactJob;
      const second = queued.find((j) => (j.data as { findingId: string }).findingId === b.id)!.data as RedactJob;
      const integrations = byPlatform(service);

      expect(await handleRedact(service.ctx, integrations, first)).toEqual({ redacted: 1 });
      const edits = editsOf(message);
      expect(edits).toHaveLength(1);
      expect(edits[0]!.params.text).toBe(
        `prod bot ${a.redacted} and CI ${b.redacted} (sandbox ${tokens.fp}, demo ${tokens.ok})`,
      );
      expect(edits[0]!.params.text).not.toContain(tokens.active);
      expect(edits[0]!.params.text).not.toContain(tokens.github);
      expect(message.text).toBe(edits[0]!.params.text);
      const notes = () => slack.callsTo('chat.postMessage').filter((m) => m.params.thread_ts === message.ts);
      expect(notes()).toHaveLength(1);

      const rows = await redactionsAt(message.ts);
      expect(rows.map((r) => [r.finding_id, r.status]).sort()).toEqual(
        [
          [a.id, 'redacted'],
          [b.id, 'redacted'],
        ].sort(),
      );
      // The false positive was seen in this message too (an open occurrence), and is left as it is.
      const fpHere = await database.db
        .selectFrom('occurrences')
        .select('closed_at')
        .where('finding_id', '=', c.id)
        .where('item', '=', message.ts)
        .executeTakeFirstOrThrow();
      expect(fpHere.closed_at).toBeNull();
      expect(rows.some((r) => r.finding_id === c.id)).toBe(false);

      // The second finding's own job, then a retry of each: nothing read, edited or posted again.
      const calls = slack.calls.length;
      expect(await handleRedact(service.ctx, integrations, second)).toEqual({});
      expect(await handleRedact(service.ctx, integrations, first)).toEqual({});
      expect(slack.calls.length).toBe(calls);

      const audits = await redactionAudits(message.ts);
      expect(audits.map((r) => [r.target_id, r.action]).sort()).toEqual(
        [
          [a.id, 'occurrence.redaction_redacted'],
          [b.id, 'occurrence.redaction_redacted'],
        ].sort(),
      );
      expect(audits.find((r) => r.target_id === b.id)!.details).toMatchObject({ alongside: a.id });

      // Nothing leakwatch wrote or sent (database, logs, requests to Slack) holds either raw secret.
      const everything = `${await dumpDatabase(database)}\n${logs.join('\n')}\n${slack.allRequestText()}`;
      expect(everything).not.toContain(tokens.active);
      expect(everything).not.toContain(tokens.github);
    } finally {
      await service.stop();
    }
  });

  it('with both findings’ jobs run side by side by the workers, the message is still edited once', async () => {
    const ok = await allowlisted();
    const { service } = await startService(true);
    try {
      const { message, tokens, findings } = await leak(service, true, ok);
      const { a, b, c } = findings;
      await eventually(async () => {
        const rows = await redactionsAt(message.ts);
        return rows.length === 2 && rows.every((r) => r.status === 'redacted');
      });
      // Until every redact job settled (one of them may wait for the other's edit and be retried).
      await eventually(async () => {
        const left = await sql<{ n: string }>`
          select count(*) as n from pgboss.job where name = 'redact' and state in ('created', 'retry', 'active')`.execute(
          database.db,
        );
        return Number(left.rows[0]!.n) === 0;
      }, 60_000);

      const edits = editsOf(message);
      expect(edits).toHaveLength(1);
      expect(edits[0]!.params.text).toBe(
        `prod bot ${a.redacted} and CI ${b.redacted} (sandbox ${tokens.fp}, demo ${tokens.ok})`,
      );
      expect(slack.callsTo('chat.postMessage').filter((m) => m.params.thread_ts === message.ts)).toHaveLength(1);
      expect((await redactionsAt(message.ts)).some((r) => r.finding_id === c.id)).toBe(false);
      const audits = await redactionAudits(message.ts);
      expect(audits.map((r) => r.action)).toEqual(['occurrence.redaction_redacted', 'occurrence.redaction_redacted']);
    } finally {
      await service.stop();
    }
  });

  it('a failed edit is recorded for every secret of the item, and the retry redacts them all at once', async () => {
    const ok = await allowlisted();
    const { service } = await startService(false);
    try {
      const { message, tokens, findings } = await leak(service, false, ok);
      const { a, b } = findings;
      const integrations = byPlatform(service);
      slack.failNext('chat.update', { rateLimitedFor: 1 });
      await expect(handleRedact(service.ctx, integrations, { findingId: b.id, requestedBy: 'test' })).rejects.toThrow();
      expect(message.text).toContain(tokens.github);
      expect((await redactionsAt(message.ts)).map((r) => r.status)).toEqual(['failed', 'failed']);

      expect(await handleRedact(service.ctx, integrations, { findingId: b.id, requestedBy: 'test' })).toEqual({
        redacted: 1,
      });
      expect(message.text).toBe(
        `prod bot ${a.redacted} and CI ${b.redacted} (sandbox ${tokens.fp}, demo ${tokens.ok})`,
      );
      const calls = slack.calls.length;
      expect(await handleRedact(service.ctx, integrations, { findingId: a.id, requestedBy: 'test' })).toEqual({});
      expect(slack.calls.length).toBe(calls);
    } finally {
      await service.stop();
    }
  });
});
