import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import type { RedactionRequest } from '../../src/core/integration.ts';
import type { Finding, Occurrence } from '../../src/db/schema.ts';
import { createScanner } from '../../src/detection/scanner.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { createGraphTokenSource } from './graph-auth.ts';
import { createGraphClient } from './graph-client.ts';
import type { ChatMessage } from './message-documents.ts';
import { createTeamsRedactor, POLICY_TIP } from './redactor.ts';
import {
  CHANNEL,
  CHAT,
  channelMessage,
  chatMessage,
  GITHUB_TOKEN,
  GRAPH,
  TEAM,
  teamsTestConfig,
  TENANT,
  tokenEndpoint,
} from './teams-test-harness.ts';

const server = useMswServer();
const scanner = createScanner({ detectors, fingerprintKey: 'teams-redactor-test-key-0123456789abcdef' });
const fingerprint = scanner.scan(GITHUB_TOKEN)[0]!.fingerprint;

function redactor(env: Record<string, string> = {}) {
  const config = teamsTestConfig(env);
  return createTeamsRedactor({
    config,
    graph: createGraphClient({ baseUrl: config.graphApiUrl, tokens: createGraphTokenSource(config) }),
  });
}

function request(container: string, item: string): RedactionRequest {
  return {
    finding: { id: 'f1', detector_id: 'github-classic-pat', fingerprint, redacted: 'ghp_********bC' } as Finding,
    occurrence: { id: 'o1', platform: 'teams', workspace: TENANT, container, item } as Occurrence,
    locate: (text, format) =>
      scanner
        .scan(text, { format })
        .filter((m) => m.fingerprint === fingerprint)
        .map((m) => ({ start: m.start, end: m.end, redacted: m.redacted })),
    requestedBy: 'system',
  };
}

const channelRequest = () => request(`team:${TEAM}/channel:${CHANNEL}`, '1606515483514/1606515483600');
const chatRequest = () => request(`chat:${CHAT}`, '1616964509832');
const leaking = (overrides: Partial<ChatMessage> & { id: string }) =>
  channelMessage({ body: { contentType: 'html', content: `<p>use <code>${GITHUB_TOKEN}</code></p>` }, ...overrides });

describe('Teams redaction', () => {
  it('hides the message with a policyViolation (model=A) when the app has the DLP permission', async () => {
    let patch: { url: URL; body: unknown } | undefined;
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/teams/:team/channels/:channel/messages/:parent/replies/:reply`, ({ params }) =>
        HttpResponse.json(leaking({ id: String(params.reply), replyToId: String(params.parent) })),
      ),
      http.patch(`${GRAPH}/teams/:team/channels/:channel/messages/:parent/replies/:reply`, async ({ request: r }) => {
        patch = { url: new URL(r.url), body: await r.json() };
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const outcome = await redactor({ TEAMS_DLP: 'true' })(channelRequest());
    expect(outcome).toMatchObject({ status: 'redacted', detail: expect.stringContaining('policyViolation') });
    expect(patch!.url.pathname).toBe(
      `/v1.0/teams/${TEAM}/channels/${encodeURIComponent(CHANNEL)}/messages/1606515483514/replies/1606515483600`,
    );
    expect(patch!.url.searchParams.get('model')).toBe('A');
    expect(patch!.body).toEqual({
      policyViolation: {
        policyTip: { generalText: POLICY_TIP, matchedConditionDescriptions: ['github-classic-pat'] },
        verdictDetails: 'None',
        dlpAction: 'BlockAccess',
      },
    });
    expect(JSON.stringify(patch!.body)).not.toContain(GITHUB_TOKEN);
  });

  it('soft-deletes a chat message with the delegated token through the signed-in user', async () => {
    const seen: string[] = [];
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/chats/:chat/messages/:id`, ({ request: r }) => {
        seen.push(`GET message ${r.headers.get('authorization')}`);
        return HttpResponse.json(
          chatMessage({ id: '1616964509832', chatId: CHAT, body: { contentType: 'text', content: GITHUB_TOKEN } }),
        );
      }),
      http.get(`${GRAPH}/me`, ({ request: r }) => {
        seen.push(`GET me ${r.headers.get('authorization')}`);
        return HttpResponse.json({ id: 'a1b2c3d4-0000-4000-8000-00000000beef' });
      }),
      http.post(`${GRAPH}/users/:user/chats/:chat/messages/:id/softDelete`, ({ request: r, params }) => {
        seen.push(`softDelete ${params.user} ${r.headers.get('authorization')}`);
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const outcome = await redactor({ TEAMS_DELEGATED_TOKEN: 'delegated-user-token' })(chatRequest());
    expect(outcome).toMatchObject({ status: 'deleted' });
    expect(seen).toEqual([
      'GET message Bearer app-token',
      'GET me Bearer delegated-user-token',
      'softDelete a1b2c3d4-0000-4000-8000-00000000beef Bearer delegated-user-token',
    ]);
  });

  it('falls back to softDelete when the policyViolation update is refused', async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/teams/:team/channels/:channel/messages/:parent/replies/:reply`, ({ params }) =>
        HttpResponse.json(leaking({ id: String(params.reply), replyToId: String(params.parent) })),
      ),
      http.patch(`${GRAPH}/teams/:team/channels/:channel/messages/:parent/replies/:reply`, () =>
        HttpResponse.json(
          { error: { code: 'Forbidden', message: 'Missing role permissions on the request.' } },
          { status: 403 },
        ),
      ),
      http.post(
        `${GRAPH}/teams/:team/channels/:channel/messages/:parent/replies/:reply/softDelete`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    );
    const outcome = await redactor({ TEAMS_DLP: 'true', TEAMS_DELEGATED_TOKEN: 'delegated-user-token' })(
      channelRequest(),
    );
    expect(outcome).toMatchObject({
      status: 'deleted',
      detail: expect.stringContaining('policyViolation update refused'),
    });
  });

  it('reports unsupported without DLP or a delegated token, and failed when Graph refuses', async () => {
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/chats/:chat/messages/:id`, () =>
        HttpResponse.json(chatMessage({ id: '1616964509832', body: { contentType: 'text', content: GITHUB_TOKEN } })),
      ),
      http.patch(`${GRAPH}/chats/:chat/messages/:id`, () =>
        HttpResponse.json({ error: { code: 'Forbidden', message: 'Licence required' } }, { status: 403 }),
      ),
    );
    expect(await redactor()(chatRequest())).toMatchObject({
      status: 'unsupported',
      detail: expect.stringContaining('TEAMS_DLP'),
    });
    expect(await redactor({ TEAMS_DLP: 'true' })(chatRequest())).toMatchObject({
      status: 'failed',
      detail: expect.stringContaining('403'),
    });
  });

  it('does nothing when the secret is gone, the message is deleted or already hidden', async () => {
    const answers: Array<ChatMessage | null> = [
      chatMessage({ id: '1616964509832', body: { contentType: 'text', content: 'rotated, nothing here' } }),
      chatMessage({
        id: '1616964509832',
        deletedDateTime: '2025-11-28T10:00:00Z',
        body: { contentType: 'text', content: GITHUB_TOKEN },
      }),
      chatMessage({
        id: '1616964509832',
        body: { contentType: 'text', content: GITHUB_TOKEN },
        policyViolation: { dlpAction: 'BlockAccess' },
      }),
      null,
    ];
    server.use(
      tokenEndpoint(),
      http.get(`${GRAPH}/chats/:chat/messages/:id`, () => {
        const next = answers.shift();
        return next
          ? HttpResponse.json(next)
          : HttpResponse.json({ error: { code: 'NotFound', message: 'gone' } }, { status: 404 });
      }),
    );
    const redact = redactor({ TEAMS_DLP: 'true' });
    expect(await redact(chatRequest())).toMatchObject({
      status: 'not_found',
      detail: expect.stringContaining('edited away'),
    });
    expect(await redact(chatRequest())).toMatchObject({
      status: 'not_found',
      detail: expect.stringContaining('deleted'),
    });
    expect(await redact(chatRequest())).toMatchObject({
      status: 'redacted',
      detail: expect.stringContaining('already hidden'),
    });
    expect(await redact(chatRequest())).toMatchObject({
      status: 'not_found',
      detail: expect.stringContaining('no longer exists'),
    });
  });

  it('refuses occurrences that are not messages of this tenant', async () => {
    expect(await redactor()(request('jira:ENG', 'ENG-1'))).toMatchObject({ status: 'failed' });
  });
});
