import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/db/api-keys-repository.ts';
import type { DatabaseHandle } from '../src/db/connection.ts';
import { verifyHookSignature } from '../src/revocation/hook-signature.ts';
import { useMswServer } from './msw-server.ts';
import { dumpDatabase, eventually, startTestService, testConfig } from './service-harness.ts';
import { createTestDatabase } from './test-database.ts';

const server = useMswServer();
const SLACK_TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';
const HOOK_KEY = 'hook-signing-key-0123456789abcdef0123456789';

let database: DatabaseHandle & { drop(): Promise<void> };
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

describe('pipeline end to end', () => {
  it('takes a live token from ingest to verified, notified, revoked, proven dead and resolved', async () => {
    let revoked = false;
    const calls: string[] = [];
    const hookBodies: { body: string; signature: string | null; timestamp: string | null }[] = [];
    server.use(
      http.post('https://slack.com/api/auth.test', () => {
        calls.push('auth.test');
        return HttpResponse.json(
          revoked
            ? { ok: false, error: 'token_revoked' }
            : {
                ok: true,
                url: 'https://acme.slack.com/',
                team: 'Acme',
                user: 'deploy-bot',
                team_id: 'T0ACME',
                user_id: 'U0BOT',
              },
          { headers: { 'x-oauth-scopes': 'chat:write,channels:history' } },
        );
      }),
      http.post('https://slack.com/api/auth.revoke', () => {
        calls.push('auth.revoke');
        revoked = true;
        return HttpResponse.json({ ok: true, revoked: true });
      }),
      http.post('https://hooks.internal.test/leakwatch', async ({ request }) => {
        hookBodies.push({
          body: await request.text(),
          signature: request.headers.get('x-leakwatch-signature'),
          timestamp: request.headers.get('x-leakwatch-timestamp'),
        });
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const config = testConfig({
      LEAKWATCH_REVOCATION_POLICY: JSON.stringify({ default: 'manual', rules: [{ issuer: 'slack', mode: 'auto' }] }),
      LEAKWATCH_HOOKS: JSON.stringify([
        { name: 'siem', url: 'https://hooks.internal.test/leakwatch', secret: HOOK_KEY },
      ]),
    });
    const { service, logs } = await startTestService(database, config);
    try {
      const { key } = await createApiKey(database.db, { name: 'ingest-test', scopes: ['ingest'] });
      const response = await service.app.request('/api/v1/documents', {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          platform: 'wiki',
          workspace: 'acme',
          container: 'ENG',
          id: 'page-42',
          url: 'https://wiki.acme.test/ENG/page-42',
          author: { id: 'u-17', email: 'dana@acme.test', name: 'Dana' },
          text: `Bot config: SLACK_BOT_TOKEN=${SLACK_TOKEN} (do not share)`,
        }),
      });
      expect(response.status).toBe(202);
      expect(await response.json()).toMatchObject({ accepted: true });

      const finding = await eventually(async () => {
        const f = await database.db.selectFrom('findings').selectAll().executeTakeFirst();
        return f?.status === 'resolved' ? f : undefined;
      }, 60_000).catch(async (error) => {
        console.log(logs.join(''), await database.db.selectFrom('findings').selectAll().execute());
        throw error;
      });
      expect(finding).toMatchObject({ detector_id: 'slack-bot-token', liveness: 'dead', remediation: 'revoked' });
      expect(finding.redacted).toBe('xoxb-********Bhl'.replace('Bhl', SLACK_TOKEN.slice(-4)));

      const history = await database.db
        .selectFrom('verifications')
        .select('liveness')
        .where('finding_id', '=', finding.id)
        .orderBy('id')
        .execute();
      expect(history.map((h) => h.liveness)).toEqual(['live', 'dead']);
      expect(calls.filter((c) => c === 'auth.revoke')).toHaveLength(1);
      const notifications = await database.db.selectFrom('notifications').selectAll().execute();
      expect(notifications).toHaveLength(1);
      expect(notifications[0]).toMatchObject({ status: 'sent', recipient: 'log:wiki:u-17' });
      const occurrence = await database.db.selectFrom('occurrences').selectAll().executeTakeFirstOrThrow();
      expect(occurrence).toMatchObject({ platform: 'wiki', container: 'ENG', item: 'page-42' });
      const actions = (await database.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map(
        (a) => a.action,
      );
      expect(actions).toEqual(
        expect.arrayContaining([
          'finding.created',
          'finding.verified',
          'finding.notified',
          'finding.revoked',
          'finding.resolved',
        ]),
      );

      const events = await eventually(async () => {
        const types = hookBodies.map((h) => JSON.parse(h.body).type as string);
        return ['finding.created', 'finding.verified_live', 'finding.revoke_requested', 'finding.resolved'].every((t) =>
          types.includes(t),
        )
          ? hookBodies
          : undefined;
      });
      for (const e of events) {
        expect(verifyHookSignature(HOOK_KEY, e.signature, e.timestamp, e.body, Math.floor(Date.now() / 1000))).toBe(
          true,
        );
      }

      // Invariant 1: the raw secret is nowhere: not in any table (pg-boss's included), log line or hook body.
      expect(await dumpDatabase(database)).not.toContain(SLACK_TOKEN);
      expect(logs.join('\n')).not.toContain(SLACK_TOKEN);
      expect(hookBodies.map((h) => h.body).join('\n')).not.toContain(SLACK_TOKEN);
      expect(logs.some((l) => l.includes('owner_notice'))).toBe(true);
    } finally {
      await service.stop();
    }
  }, 120_000);
});
