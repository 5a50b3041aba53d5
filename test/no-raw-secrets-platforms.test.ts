import { createHmac, randomInt } from 'node:crypto';
import { sql } from 'kysely';
import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChecksums, TOKEN_FAMILIES } from '../bench/planted-tokens.ts';
import { Rng } from '../bench/rng.ts';
import { detectors } from '../detectors/index.ts';
import { FakeConfluenceSite } from '../integrations/confluence/test-support/fake-confluence-site.ts';
import { POLL_QUEUE as CONFLUENCE_POLL_QUEUE } from '../integrations/confluence/poller.ts';
import { DC_SITE, FakeJira } from '../integrations/jira/jira-fake-server.ts';
import { JIRA_POLL_QUEUE } from '../integrations/jira/jira-queues.ts';
import { FakeSlack } from '../integrations/slack/outbound-test-kit.ts';
import type { ChatMessage } from '../integrations/teams/message-documents.ts';
import { createApiKey } from '../src/db/api-keys-repository.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { createScanner, type Scanner } from '../src/detection/scanner.ts';
import type { Service } from '../src/service.ts';
import { useMswServer } from './msw-server.ts';
import { dumpDatabase, eventually, FINGERPRINT_KEY, startTestService, testConfig } from './service-harness.ts';
import { createTestDatabase } from './test-database.ts';

/**
 * Invariant 1 across every platform at once: 1,000 distinct, format-valid
 * secrets (fresh random bodies, valid checksums) are planted through Slack
 * (signed Events API), Jira (poll), Confluence (poll), Teams (change
 * notifications + Graph fetch) and POST /api/v1/documents, into one service
 * with everything on — Slack owner DMs, auto-redaction on every platform,
 * liveness checks, the vault and an outbound hook that is NOT configured to
 * receive secrets. Then every place a secret could escape to is searched for
 * the raw value and for any 20-character slice of it.
 */

const server = useMswServer();

const PER_PLATFORM = 200;
const PLATFORMS = ['slack', 'jira', 'confluence', 'teams', 'documents'] as const;
type Platform = (typeof PLATFORMS)[number];

const SLACK_API = 'https://slack.com/api/';
const SLACK_BOT_TOKEN = 'xoxb-1111111111-2222222222-botbotbotbotbotbotbotbot';
const SLACK_ADMIN_TOKEN = 'xoxp-1111111111-3333333333-4444444444-adminadminadminadminadmin00';
const SLACK_SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const SLACK_TEAM = 'T0ACME';
const JIRA_PAT = 'NjM4MzQ1OTk0MjQ3OkdrZXlfdGVzdF9wYXQ';
const JIRA_WEBHOOK_SECRET = 'jira-webhook-secret-0123456789';
const CONFLUENCE_URL = 'https://wiki.corp.test/confluence';
const CONFLUENCE_PAT = 'NjM2NTQ4MzE2Nzg5OkQ8dc-pat-for-tests';
const TENANT = '2432b57b-0abd-43db-aa7b-16eadd115d34';
const CLIENT_ID = '6731de76-14a6-49ae-97bc-6eba6914391e';
const CLIENT_STATE = 'secret-client-state-0123456789abcdef';
const GRAPH = 'https://graph.microsoft.com/v1.0';
const TEAMS_CHAT = '19:2da4c29f6d7041eca70b638b43d45437@thread.v2';
const HOOK_URL = 'https://hooks.example.test/leakwatch';

/** Five people, on every platform under the same email, so each owner gets a Slack DM. */
const PEOPLE = Array.from({ length: 5 }, (_, i) => ({
  slack: `U0PERSON0${i}`,
  jira: `JIRAUSER1010${i}`,
  confluence: `acc-person-${i}`,
  teams: `8ea0e38b-efb3-4757-924a-5f94061cf8c${i}`,
  name: `Person ${i}`,
  email: `person${i}@acme.test`,
}));

/** Longest slice of a secret's body (beyond the redaction's public prefix/suffix) allowed anywhere. */
const SLICE = 20;

interface PlantedSecret {
  platform: Platform;
  family: string;
  /** What the detector reports as the secret, and any companion part (the AWS secret key). */
  values: string[];
  fingerprint: string;
  /** The sentence it was posted in. */
  text: string;
}

/**
 * 1,000 distinct credentials from the bench generators (PEM keys left out: too
 * slow to mint by the hundred). Only fragments the scanner finds in plain text
 * count as planted (a generated password can be too weak for the entropy
 * floor); the secret is what the detector reports (a Slack webhook without
 * its `https://`).
 */
function plantSecrets(scanner: Scanner): PlantedSecret[] {
  const rng = new Rng(randomInt(2 ** 31));
  const families = TOKEN_FAMILIES.filter((f) => !f.family.startsWith('private-key'));
  const seen = new Set<string>();
  const out: PlantedSecret[] = [];
  for (const platform of PLATFORMS) {
    for (let i = 0; i < PER_PLATFORM;) {
      const family = families[(out.length + i) % families.length]!;
      const fragment = family.make(rng);
      for (const p of fragment.planted) assertChecksums(p.family, fragment.text.slice(p.start, p.end));
      const first = fragment.planted[0]!;
      const token = fragment.text.slice(first.start, first.end);
      const match = scanner.scan(fragment.text).find((m) => token.includes(m.secret.reveal()));
      if (!match) continue;
      const values = [match.secret.reveal(), ...match.parts.map((p) => p.secret.reveal())];
      if (values.some((v) => seen.has(v))) continue;
      values.forEach((v) => seen.add(v));
      out.push({ platform, family: family.family, values, fingerprint: match.fingerprint, text: fragment.text });
      i++;
    }
  }
  return out;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xhtml = (s: string) => `<p>${escapeHtml(s).replace(/\n/g, '<br/>')}</p>`;

/**
 * What must never appear: every slice of length SLICE of each secret's body —
 * what is left between the public prefix and suffix its redacted form may show —
 * keyed by a rolling hash, and the whole value of secrets whose body is shorter.
 * Slices two secrets share are format structure (a fixed infix), not secret.
 */
interface LeakIndex {
  slices: Map<number, Map<string, string>>;
  short: string[];
}

const HASH_BASE = 257;
const HASH_POW = Array.from({ length: SLICE - 1 }).reduce<number>((p) => Math.imul(p, HASH_BASE), 1);
const hashOf = (s: string, from: number) => {
  let h = 0;
  for (let i = from; i < from + SLICE; i++) h = (Math.imul(h, HASH_BASE) + s.charCodeAt(i)) | 0;
  return h;
};

function leakIndex(secrets: ReadonlyArray<{ value: string; redacted: string }>): LeakIndex {
  const owners = new Map<string, string>();
  const shared = new Set<string>();
  const short: string[] = [];
  for (const { value, redacted } of secrets) {
    let prefix = 0;
    while (prefix < value.length && value[prefix] === redacted[prefix]) prefix++;
    let suffix = 0;
    while (suffix < value.length - prefix && value.at(-1 - suffix) === redacted.at(-1 - suffix)) suffix++;
    const body = value.slice(prefix, value.length - suffix);
    if (body.length < SLICE) short.push(value);
    for (let i = 0; i + SLICE <= body.length; i++) {
      const slice = body.slice(i, i + SLICE);
      const owner = owners.get(slice);
      if (owner !== undefined && owner !== value) shared.add(slice);
      else owners.set(slice, value);
    }
  }
  const slices = new Map<number, Map<string, string>>();
  for (const [slice, owner] of owners) {
    if (shared.has(slice)) continue;
    const h = hashOf(slice, 0);
    if (!slices.has(h)) slices.set(h, new Map());
    slices.get(h)!.set(slice, owner);
  }
  return { slices, short };
}

/** Secrets of which a SLICE-long piece of the body (or, for short ones, the whole value) occurs in `haystack`. */
function leakedIn(haystack: string, index: LeakIndex): Set<string> {
  const leaked = new Set<string>();
  for (const v of index.short) if (haystack.includes(v)) leaked.add(v);
  if (haystack.length < SLICE) return leaked;
  let h = hashOf(haystack, 0);
  for (let i = 0; ; i++) {
    const candidates = index.slices.get(h);
    const owner = candidates?.get(haystack.slice(i, i + SLICE));
    if (owner !== undefined) leaked.add(owner);
    if (i + SLICE >= haystack.length) break;
    h = (Math.imul(h - Math.imul(haystack.charCodeAt(i), HASH_POW), HASH_BASE) + haystack.charCodeAt(i + SLICE)) | 0;
  }
  return leaked;
}

/** Runs `task` over `items` a few at a time, as a platform delivering events over a handful of connections. */
async function inBatches<T>(items: readonly T[], task: (item: T, index: number) => Promise<void>, size = 10) {
  for (let i = 0; i < items.length; i += size) {
    await Promise.all(items.slice(i, i + size).map((item, j) => task(item, i + j)));
  }
}

let database: DatabaseHandle & { drop(): Promise<void> };
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

describe('invariant 1 on every platform: 1,000 planted secrets never leak', () => {
  it('finds every planted secret and none appears raw in tables, logs, metrics, API, dashboard, DMs, redacted edits or hooks', async () => {
    const started = Date.now();
    // Milliseconds from the start at which each phase began (printed at the end, to see where time goes).
    const phases: Record<string, number> = {};
    const phase = (name: string) => void (phases[name] = Date.now() - started);
    const scanner = createScanner({ detectors, fingerprintKey: FINGERPRINT_KEY });
    const planted = plantSecrets(scanner);
    const byPlatform = (p: Platform) => planted.filter((s) => s.platform === p);

    // ---- the platforms, at the HTTP layer ----
    const slack = new FakeSlack();
    for (const p of PEOPLE) slack.addUser({ id: p.slack, email: p.email, name: p.name });
    const jira = new FakeJira('datacenter');
    const confluence = new FakeConfluenceSite({ deployment: 'datacenter', baseUrl: CONFLUENCE_URL, maxPageSize: 50 });
    for (const p of PEOPLE) confluence.users.set(p.confluence, { email: p.email, displayName: p.name });
    const teamsMessages = new Map<string, ChatMessage>();
    const teamsWrites: string[] = [];
    const hookPayloads: string[] = [];
    const issuerRequests: string[] = [];
    server.use(
      http.post(`${SLACK_API}auth.test`, () =>
        HttpResponse.json({
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'Acme',
          user: 'leakwatch',
          team_id: SLACK_TEAM,
          user_id: 'U0LEAKBOT',
          bot_id: 'B0LEAKBOT',
        }),
      ),
      ...slack.handlers(SLACK_API),
      ...jira.handlers(),
      ...confluence.handlers(),
      http.post(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, () =>
        HttpResponse.json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'app-token' }),
      ),
      http.get(`${GRAPH}/teams`, () => HttpResponse.json({ value: [] })),
      http.get(`${GRAPH}/chats/:chat/messages/:id`, ({ params }) => {
        const message = teamsMessages.get(String(params.id));
        return message
          ? HttpResponse.json(message)
          : HttpResponse.json({ error: { code: 'NotFound', message: 'gone' } }, { status: 404 });
      }),
      http.patch(`${GRAPH}/chats/:chat/messages/:id`, async ({ request, params }) => {
        teamsWrites.push(await request.text());
        const message = teamsMessages.get(String(params.id))!;
        teamsMessages.set(message.id, { ...message, policyViolation: { dlpAction: 'BlockAccess' } } as ChatMessage);
        return new HttpResponse(null, { status: 204 });
      }),
      http.get(`${GRAPH}/users/:id`, ({ params }) => {
        const person = PEOPLE.find((p) => p.teams === params.id);
        return person
          ? HttpResponse.json({
              id: person.teams,
              displayName: person.name,
              mail: person.email,
              userPrincipalName: person.email,
              accountEnabled: true,
            })
          : HttpResponse.json({ error: { code: 'Request_ResourceNotFound' } }, { status: 404 });
      }),
      http.post(HOOK_URL, async ({ request }) => {
        hookPayloads.push(await request.text());
        return new HttpResponse(null, { status: 204 });
      }),
      // Every other host is an issuer asked for liveness: alternately "valid" and "invalid".
      http.all('*', async ({ request }) => {
        issuerRequests.push(`${request.method} ${new URL(request.url).host}`);
        return issuerRequests.length % 2
          ? HttpResponse.json({ ok: true, id: 'acct-1', login: 'ci-bot', scopes: [] })
          : HttpResponse.json({ ok: false, error: 'invalid_auth', message: 'Bad credentials' }, { status: 401 });
      }),
    );

    // ---- the service, wired from its environment like `leakwatch serve` ----
    const config = testConfig({
      LEAKWATCH_LOG_LEVEL: 'trace',
      LEAKWATCH_VERIFY: 'true',
      LEAKWATCH_VERIFY_CONCURRENCY: '32',
      LEAKWATCH_WORKER_CONCURRENCY: '4',
      LEAKWATCH_WORKER_BATCH_SIZE: '50',
      LEAKWATCH_AUTO_REDACT: 'all',
      LEAKWATCH_POLL_INTERVAL: '1',
      LEAKWATCH_HOOKS: JSON.stringify([{ name: 'siem', url: HOOK_URL, secret: 'hook-signing-key-0123456789abcdef' }]),
      SLACK_BOT_TOKEN,
      SLACK_SIGNING_SECRET,
      SLACK_ADMIN_USER_TOKEN: SLACK_ADMIN_TOKEN,
      SLACK_REDACTION: 'edit',
      SLACK_SECURITY_CHANNEL: 'C0SECURITY',
      SLACK_DIGEST_CRON: 'off',
      SLACK_API_URL: SLACK_API,
      JIRA_URL: DC_SITE,
      JIRA_DEPLOYMENT: 'datacenter',
      JIRA_PAT,
      JIRA_WEBHOOK_SECRET,
      JIRA_PROJECTS: 'ENG',
      JIRA_REQUESTS_PER_SECOND: '100',
      CONFLUENCE_URL,
      CONFLUENCE_PAT,
      CONFLUENCE_DEPLOYMENT: 'datacenter',
      CONFLUENCE_REQUESTS_PER_SECOND: '1000',
      TEAMS_TENANT_ID: TENANT,
      TEAMS_CLIENT_ID: CLIENT_ID,
      TEAMS_CLIENT_SECRET: 'test-client-secret',
      TEAMS_CLIENT_STATE: CLIENT_STATE,
      TEAMS_CHATS: 'all',
      TEAMS_DLP: 'true',
    });
    const { service, logs } = await startTestService(database, config, { http: false, workers: true });
    let stopped = false;
    const stop = async (s: Service) => {
      if (!stopped) await s.stop();
      stopped = true;
    };
    try {
      const integration = (platform: string) => service.integrations.find((i) => i.platform === platform)!;
      const { key } = await createApiKey(database.db, { name: 'auditor', scopes: ['admin'] });
      const api = (path: string, init: RequestInit = {}) =>
        service.app.request(path, {
          ...init,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers },
        });

      phase('slack');
      // Slack: one signed message event per secret, the message also in Slack's history (for redaction).
      const slackSecrets = byPlatform('slack');
      await inBatches(slackSecrets, async (secret, n) => {
        const person = PEOPLE[n % PEOPLE.length]!;
        const ts = `${1_768_471_200 + n}.000100`;
        const text = escapeHtml(secret.text);
        slack.addMessage({ channel: 'C0GENERAL1', ts, text, user: person.slack });
        const body = JSON.stringify({
          team_id: SLACK_TEAM,
          api_app_id: 'A0LEAKWTCH',
          type: 'event_callback',
          event_id: `Ev0PLANT${String(n).padStart(5, '0')}`,
          event_time: 1_768_471_200 + n,
          event: {
            type: 'message',
            channel: 'C0GENERAL1',
            user: person.slack,
            text,
            ts,
            event_ts: ts,
            channel_type: 'channel',
          },
        });
        // As Slack does: a 503 (event still being stored) is retried, with x-slack-retry-num.
        for (let attempt = 0; ; attempt++) {
          const timestamp = Math.floor(Date.now() / 1000);
          const signature = `v0=${createHmac('sha256', SLACK_SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
          const response = await service.app.request('/slack/events', {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-slack-request-timestamp': String(timestamp),
              'x-slack-signature': signature,
              ...(attempt > 0 ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': 'http_error' } : {}),
            },
            body,
          });
          if (response.status === 503 && attempt < 3) continue;
          expect(response.status).toBe(200);
          break;
        }
      });

      phase('jira');
      // Jira: 50 issues, each with the secret in its description and three comments; one poll reads them.
      const jiraSecrets = byPlatform('jira');
      const recent = new Date(Date.now() - 60_000);
      for (let issueNo = 0; issueNo < jiraSecrets.length / 4; issueNo++) {
        const person = PEOPLE[issueNo % PEOPLE.length]!;
        const author = { id: person.jira, name: person.name, email: person.email };
        const [description, ...comments] = jiraSecrets.slice(issueNo * 4, issueNo * 4 + 4);
        jira.addIssue({
          key: `ENG-${issueNo + 1}`,
          updated: recent,
          creator: author,
          fields: { description: description!.text },
          comments: comments.map((c) => jira.comment(author, c.text, recent)),
        });
      }
      // The scheduled poll may have just run (and been too early): poll until one really reads the site.
      await eventually(async () => {
        const outcome = (await integration('jira').queues![JIRA_POLL_QUEUE]!({})) as { status: string };
        return outcome.status === 'polled';
      });

      phase('confluence');
      // Confluence: one page per secret, read by one poll (with every version).
      const confluenceSecrets = byPlatform('confluence');
      confluenceSecrets.forEach((secret, n) =>
        confluence.add({
          id: String(70_000 + n),
          kind: 'page',
          title: `Runbook ${n}`,
          spaceKey: 'OPS',
          bodies: [xhtml(secret.text)],
          authorId: PEOPLE[n % PEOPLE.length]!.confluence,
          at: new Date(Date.now() - 30_000).toISOString(),
        }),
      );
      await eventually(async () => {
        const outcome = (await integration('confluence').queues![CONFLUENCE_POLL_QUEUE]!({})) as { status: string };
        return outcome.status === 'ok';
      });

      phase('teams');
      // Teams: one chat message per secret, announced by change notifications in batches of 50.
      const teamsSecrets = byPlatform('teams');
      const notifications = teamsSecrets.map((secret, n) => {
        const id = String(1_616_964_509_000 + n);
        const person = PEOPLE[n % PEOPLE.length]!;
        const at = new Date(Date.now() - 10_000).toISOString();
        teamsMessages.set(id, {
          id,
          replyToId: null,
          etag: id,
          messageType: 'message',
          createdDateTime: at,
          lastModifiedDateTime: at,
          lastEditedDateTime: null,
          deletedDateTime: null,
          subject: null,
          chatId: TEAMS_CHAT,
          webUrl: null,
          policyViolation: null,
          from: {
            user: { id: person.teams, displayName: person.name, userIdentityType: 'aadUser' },
            application: null,
          },
          body: { contentType: 'html', content: `<div>${xhtml(secret.text)}</div>` },
          channelIdentity: null,
          attachments: [],
        } as ChatMessage);
        const resource = `chats('${TEAMS_CHAT}')/messages('${id}')`;
        return {
          subscriptionId: '10493aa0-4d29-4df5-bc0c-ef742cc6cd7f',
          changeType: 'created',
          clientState: CLIENT_STATE,
          subscriptionExpirationDateTime: new Date(Date.now() + 3600_000).toISOString(),
          resource,
          resourceData: { id, '@odata.type': '#Microsoft.Graph.chatMessage', '@odata.id': resource },
          tenantId: TENANT,
        };
      });
      for (let i = 0; i < notifications.length; i += 50) {
        const response = await service.app.request('/webhooks/teams', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ value: notifications.slice(i, i + 50) }),
        });
        expect(response.status).toBe(202);
      }

      phase('documents');
      // The admin API: one document per secret.
      const documentSecrets = byPlatform('documents');
      const answers: string[] = [];
      await inBatches(documentSecrets, async (secret, n) => {
        const response = await api('/api/v1/documents', {
          method: 'POST',
          body: JSON.stringify({
            platform: 'wiki',
            container: 'SEC',
            id: `doc-${n}`,
            author: { id: `wiki-${n % PEOPLE.length}`, email: PEOPLE[n % PEOPLE.length]!.email },
            text: secret.text,
          }),
        });
        expect(response.status).toBe(202);
        answers.push(await response.text());
      });

      phase('wait');
      // ---- wait for the pipeline: every secret recorded, redacted at its source, its owner told ----
      const occurrencePlatform = (p: Platform) => (p === 'documents' ? 'wiki' : p);
      const counts = async () =>
        Object.fromEntries(
          (
            await database.db
              .selectFrom('occurrences')
              .select(['platform', (eb) => eb.fn.countAll<string>().as('n')])
              .groupBy('platform')
              .execute()
          ).map((r) => [r.platform, Number(r.n)]),
        ) as Record<string, number>;
      await eventually(async () => {
        const c = await counts();
        return PLATFORMS.every((p) => (c[occurrencePlatform(p)] ?? 0) >= PER_PLATFORM * 0.99);
      }, 300_000);
      phase('idle');
      // Then until the pipeline is idle: no job waiting or running in a pipeline queue, twice in a row.
      let idleChecks = 0;
      await eventually(async () => {
        const busy = await sql<{ n: string }>`
          select count(*) as n from pgboss.job
          where state in ('created', 'retry', 'active') and name not like '%-poll' and name not like '__pgboss%'`.execute(
          database.db,
        );
        idleChecks = Number(busy.rows[0]!.n) === 0 ? idleChecks + 1 : 0;
        return idleChecks >= 3;
      }, 300_000);
      const pipelineDone = Date.now();
      const unnotified = await sql<{ platform: string; status: string; liveness: string; n: string }>`
        select o.platform, f.status, f.liveness, count(*) as n from findings f
        join occurrences o on o.finding_id = f.id
        where not exists (select 1 from notifications n where n.finding_id = f.id)
        group by 1, 2, 3`.execute(database.db);
      // Owners of every finding were told, except where the issuer proved the credential dead (resolved at once).
      expect(unnotified.rows.filter((r) => r.status !== 'resolved' || r.liveness !== 'dead')).toEqual([]);

      phase('positive');
      // ---- positive: the secrets were really found, per platform ----
      const findings = await database.db
        .selectFrom('findings')
        .innerJoin('occurrences', 'occurrences.finding_id', 'findings.id')
        .select(['findings.id', 'findings.fingerprint', 'findings.redacted', 'occurrences.platform'])
        .execute();
      const foundByPlatform: Record<string, number> = {};
      const plantedFingerprint = new Map(planted.map((secret) => [secret.fingerprint, secret]));
      for (const f of findings) {
        const secret = plantedFingerprint.get(f.fingerprint);
        if (secret && occurrencePlatform(secret.platform) === f.platform) {
          foundByPlatform[secret.platform] = (foundByPlatform[secret.platform] ?? 0) + 1;
        }
      }
      console.info('planted secrets found per platform', foundByPlatform, 'of', PER_PLATFORM);
      for (const p of PLATFORMS) expect(foundByPlatform[p] ?? 0, p).toBeGreaterThanOrEqual(PER_PLATFORM * 0.99);
      expect(new Set(findings.map((f) => f.id)).size).toBeGreaterThanOrEqual(990);

      // ---- read every surface ----
      const redactedBySecret = new Map<string, string>();
      for (const f of findings) {
        const secret = plantedFingerprint.get(f.fingerprint);
        if (secret) for (const v of secret.values) redactedBySecret.set(v, f.redacted);
      }
      const values = planted.flatMap((s) => s.values);
      const index = leakIndex(values.map((value) => ({ value, redacted: redactedBySecret.get(value) ?? '' })));
      // The search itself can fail: every secret is found inside text that holds it.
      expect(values.filter((v) => !leakedIn(`"x=${v}&`, index).has(v))).toEqual([]);

      const pagedApi = async (path: string, listKey: string): Promise<unknown[]> => {
        const items: unknown[] = [];
        let cursor: string | null = null;
        do {
          const response = await api(
            `${path}${path.includes('?') ? '&' : '?'}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
          );
          const text = await response.text();
          expect(response.status, path).toBe(200);
          answers.push(text);
          const body = JSON.parse(text) as Record<string, unknown> & { nextCursor?: string | null };
          items.push(...((body[listKey] as unknown[]) ?? []));
          cursor = body.nextCursor ?? null;
        } while (cursor);
        return items;
      };
      phase('read');
      const listed = (await pagedApi('/api/v1/findings', 'findings')) as { id: string }[];
      expect(listed.length).toBeGreaterThanOrEqual(990);
      for (const f of listed) {
        const response = await api(`/api/v1/findings/${f.id}`);
        expect(response.status).toBe(200);
        answers.push(await response.text());
      }
      phase('api details');
      await pagedApi('/api/v1/audit', 'entries');
      await pagedApi('/api/v1/hook-deliveries', 'deliveries');
      for (const path of ['/api/v1/stats', '/api/v1/identities', '/api/v1/connectors', '/api/v1/jobs/dead-letter']) {
        const response = await api(path);
        expect(response.status, path).toBe(200);
        answers.push(await response.text());
      }
      const metrics = await (await service.app.request('/metrics')).text();
      expect(metrics).toContain('leakwatch_');

      phase('dashboard');
      // The dashboard, signed in the way a browser does (sign-in token cookie, then the session cookie).
      const signInPage = await service.app.request('http://lw.test/sign-in');
      const signInCookie = signInPage.headers.get('set-cookie')!.split(';')[0]!;
      const csrf = /name="_csrf" value="([^"]+)"/.exec(await signInPage.text())![1]!;
      const signedIn = await service.app.request('http://lw.test/sign-in', {
        method: 'POST',
        headers: { cookie: signInCookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: csrf, apiKey: key }).toString(),
      });
      expect(signedIn.status).toBe(303);
      const session = signedIn.headers
        .getSetCookie()
        .map((c) => c.split(';')[0]!)
        .find((c) => c.startsWith('lw_session='))!;
      const pages: string[] = [];
      const dashboard = async (path: string) => {
        const response = await service.app.request(`http://lw.test${path}`, { headers: { cookie: session } });
        expect(response.status, path).toBe(200);
        pages.push(await response.text());
      };
      for (const path of ['/', '/findings', '/identities', '/connectors', '/audit', '/allowlist'])
        await dashboard(path);
      for (const status of ['open', 'notified', 'resolved']) await dashboard(`/findings?status=${status}`);
      for (const f of listed) await dashboard(`/findings/${f.id}`);
      const readDone = Date.now();

      phase('stop');
      // ---- stop (drains workers), then search everything ----
      await stop(service);
      const haystacks: Record<string, string> = {
        database: await dumpDatabase(database),
        logs: logs.join('\n'),
        metrics,
        api: answers.join('\n'),
        dashboard: pages.join('\n'),
        'slack calls (DMs, chat.update)': slack.allRequestText(),
        'jira writes': JSON.stringify(jira.requests.filter((r) => r.method !== 'GET')),
        'confluence writes': confluence.requests
          .filter((r) => r.method !== 'GET')
          .map((r) => r.body)
          .join('\n'),
        'teams writes': teamsWrites.join('\n'),
        'hook payloads': hookPayloads.join('\n'),
      };
      phase('search');
      const report: Record<string, number> = {};
      for (const [where, haystack] of Object.entries(haystacks)) {
        const leaked = leakedIn(haystack, index);
        report[where] = haystack.length;
        phase(`searched ${where}`);
        expect([...leaked].map((s) => `${s.slice(0, 6)}… in ${where}`)).toEqual([]);
      }

      // ---- the effects really happened (the search above looked at real traffic) ----
      expect(slack.callsTo('chat.postMessage').length).toBeGreaterThanOrEqual(990);
      expect(slack.callsTo('chat.update').length).toBeGreaterThanOrEqual(PER_PLATFORM * 0.99);
      expect(jira.requests.filter((r) => r.method === 'PUT').length).toBeGreaterThanOrEqual(PER_PLATFORM * 0.99);
      expect(confluence.requests.filter((r) => r.method === 'PUT').length).toBeGreaterThanOrEqual(PER_PLATFORM * 0.99);
      expect(teamsWrites.length).toBeGreaterThanOrEqual(PER_PLATFORM * 0.99);
      expect(hookPayloads.length).toBeGreaterThanOrEqual(990);
      expect(issuerRequests.length).toBeGreaterThan(0);
      console.info('searched bytes per surface', report, {
        pipelineMs: pipelineDone - started,
        readMs: readDone - pipelineDone,
        totalMs: Date.now() - started,
        issuerRequests: issuerRequests.length,
        phases,
      });
    } finally {
      await stop(service);
    }
  }, 600_000);
});
