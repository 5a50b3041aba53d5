import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../core/secret.ts';
import { HostRateLimiter } from './rate-limiter.ts';
import { createSafeHttp, EgressRefusedError } from './safe-http.ts';

// Real sockets on 127.0.0.1 (no msw here): proves the address guard works at
// connect time, including for DNS names that resolve to loopback.
let server: Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function http(allowPrivate: boolean) {
  return createSafeHttp({
    allowPrivate,
    timeoutMs: 2000,
    maxResponseBytes: 1024,
    limiter: new HostRateLimiter(1000),
    userAgent: 'test',
  });
}

describe('safe HTTP egress', () => {
  it('refuses a configured host name that resolves to a loopback address, before connecting', async () => {
    const before = hits;
    const scope = { hosts: [], baseUrls: [`http://localhost:${port}`], methods: new Set(['GET']) };
    await expect(http(false)(scope, { url: `http://localhost:${port}/x` })).rejects.toBeInstanceOf(EgressRefusedError);
    expect(hits).toBe(before);
  });

  it('reaches a private self-hosted issuer only when private targets are allowed', async () => {
    const scope = { hosts: [], baseUrls: [`http://localhost:${port}`], methods: new Set(['GET']) };
    const response = await http(true)(scope, { url: `http://localhost:${port}/x` });
    expect(response).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('scrubs the secret from errors', async () => {
    const secret = new Secret('sk_verysecretvalue_123456', 'sk_********3456');
    const scope = { hosts: ['nonexistent.invalid'], baseUrls: [], methods: new Set(['GET']) };
    const failure = await http(false)(scope, {
      url: new Secret(`https://nonexistent.invalid/${secret.reveal()}`, 'https://nonexistent.invalid/[secret]'),
      headers: { authorization: secret },
    }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).not.toContain(secret.reveal());
  });
});
