import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confluenceWebhookRoutes } from '../integrations/confluence/webhook.ts';
import { jiraWebhookRoutes } from '../integrations/jira/webhook.ts';
import { HonoReceiver, MAX_BODY_BYTES as SLACK_MAX_BODY_BYTES } from '../integrations/slack/hono-receiver.ts';
import { teamsWebhookRoutes } from '../integrations/teams/webhook.ts';
import { MAX_ADMIN_BODY_BYTES } from '../src/api/api-v1.ts';
import { Secret } from '../src/core/secret.ts';
import { createLogger } from '../src/logger.ts';
import { startApiHarness, type ApiHarness } from './api-harness.ts';

// Oversized bodies are refused early, on a real HTTP server on 127.0.0.1:
// a Content-Length over the cap gets 413 before a byte of the body is sent;
// a chunked body gets 413 as soon as it crosses the cap, while the client is
// still sending (the server never reads the rest).

const logger = createLogger({ level: 'silent' });
/** Stands in for every dependency a receiver only touches after the size check: reaching it fails the request. */
const unreachable = new Proxy(
  {},
  {
    get: () => {
      throw new Error('the handler ran: the body limit did not stop the request');
    },
  },
) as never;

let h: ApiHarness;
let server: ServerType;
let port: number;

beforeAll(async () => {
  h = await startApiHarness();
  const receiver = new HonoReceiver({
    signingSecret: 'body-limit-test-signing-secret',
    logger,
    storeEvent: async () => {
      throw new Error('the handler ran: the body limit did not stop the request');
    },
  });
  const app = new Hono();
  app.route('/', receiver.routes);
  app.route(
    '/',
    jiraWebhookRoutes({
      secret: new Secret('jira-webhook-secret-0123456789', '[redacted]'),
      site: 'acme.atlassian.net',
      projects: [],
      db: unreachable,
      sink: unreachable,
      logger,
      now: () => new Date(),
      runtime: async () => unreachable,
    }),
  );
  app.route(
    '/',
    confluenceWebhookRoutes({
      api: unreachable,
      db: unreachable,
      sink: unreachable,
      ledger: unreachable,
      logger,
      secret: new Secret('confluence-webhook-secret-012345', '[redacted]'),
      spaces: [],
      now: () => new Date(),
    }),
  );
  app.route('/', teamsWebhookRoutes(unreachable));
  app.route('/', h.app);
  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
}, 120_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await h?.stop();
});

const ENDPOINTS: Array<{ path: string; cap: number; auth?: boolean; form?: boolean }> = [
  { path: '/slack/events', cap: SLACK_MAX_BODY_BYTES },
  { path: '/slack/interactions', cap: SLACK_MAX_BODY_BYTES },
  { path: '/slack/commands', cap: SLACK_MAX_BODY_BYTES },
  { path: '/webhooks/jira', cap: 5 * 1024 * 1024 },
  { path: '/webhooks/confluence', cap: 256 * 1024 },
  { path: '/webhooks/teams', cap: 1024 * 1024 },
  { path: '/webhooks/teams/lifecycle', cap: 1024 * 1024 },
  { path: '/api/v1/documents', cap: 64 * 1024, auth: true },
  { path: '/api/v1/allowlist', cap: MAX_ADMIN_BODY_BYTES, auth: true },
  { path: '/api/v1/allowlist/dry-run', cap: MAX_ADMIN_BODY_BYTES, auth: true },
  { path: `/api/v1/findings/${crypto.randomUUID()}/acknowledge`, cap: MAX_ADMIN_BODY_BYTES, auth: true },
  { path: '/api/v1/keys', cap: MAX_ADMIN_BODY_BYTES, auth: true },
  { path: '/api/v1/identities', cap: MAX_ADMIN_BODY_BYTES, auth: true },
  { path: '/sign-in', cap: 64 * 1024, form: true },
  { path: '/allowlist', cap: 64 * 1024, form: true },
];

function headersFor(endpoint: (typeof ENDPOINTS)[number]): Record<string, string> {
  return {
    'content-type': endpoint.form ? 'application/x-www-form-urlencoded' : 'application/json',
    ...(endpoint.auth ? { authorization: `Bearer ${h.keys.admin}` } : {}),
  };
}

async function bodyText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Declares `cap + 1` bytes and sends none of them: the answer must come anyway. */
function declaredTooLarge(path: string, cap: number, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string; ms: number }>((resolve, reject) => {
    const started = performance.now();
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'content-length': String(cap + 1) } },
      (response) => {
        const ms = performance.now() - started;
        void bodyText(response).then((body) => {
          req.destroy();
          resolve({ status: response.statusCode ?? 0, body, ms });
        }, reject);
      },
    );
    req.on('error', reject);
    req.setTimeout(5_000, () => reject(new Error('no answer within 5 s: the server waited for the body')));
    req.flushHeaders();
  });
}

/** Streams 16 KiB chunks without a length until the server answers; returns how much was sent by then. */
function chunkedUntilAnswered(path: string, cap: number, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string; sent: number }>((resolve, reject) => {
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    let sent = 0;
    let answered = false;
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'transfer-encoding': 'chunked' } },
      (response) => {
        answered = true;
        void bodyText(response).then((body) => {
          req.destroy();
          resolve({ status: response.statusCode ?? 0, body, sent });
        }, reject);
      },
    );
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      if (answered || req.destroyed) return;
      // Give up well past the cap: a server that reads everything would never answer while we send.
      if (sent > cap * 4 + 1024 * 1024) {
        req.end();
        return;
      }
      sent += chunk.length;
      if (req.write(chunk)) setImmediate(pump);
      else req.once('drain', pump);
    };
    pump();
  });
}

describe('oversized bodies are refused early on every route that takes a body', () => {
  it.each(ENDPOINTS)('$path: Content-Length over the cap → 413 without waiting for the body', async (endpoint) => {
    const { status, body, ms } = await declaredTooLarge(endpoint.path, endpoint.cap, headersFor(endpoint));
    expect(status).toBe(413);
    expect(body.length).toBeGreaterThan(0);
    expect(ms).toBeLessThan(2_000);
  });

  it.each(ENDPOINTS)(
    '$path: a chunked body → 413 once it crosses the cap, not after reading it all',
    async (endpoint) => {
      const { status, sent } = await chunkedUntilAnswered(endpoint.path, endpoint.cap, headersFor(endpoint));
      expect(status).toBe(413);
      // The answer came while the client was still sending, shortly after the cap (socket buffers hold a little more).
      expect(sent).toBeLessThan(endpoint.cap * 4 + 1024 * 1024);
    },
  );

  it('still accepts a body just under the cap (the limit is not off by one)', async () => {
    const text = 'x'.repeat(60 * 1024);
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${h.keys.ingest}` },
      body: JSON.stringify({ platform: 'wiki', container: 'ENG', id: 'near-cap', text }),
    });
    expect(response.status).toBe(202);
  });
});
