import type * as dns from 'node:dns';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PgBoss } from 'pg-boss';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { detectors } from '../detectors/index.ts';
import { ConfluenceHttp } from '../integrations/confluence/confluence-http.ts';
import { loadConfluenceConfig } from '../integrations/confluence/confluence-config.ts';
import { createDataCenterClient } from '../integrations/jira/datacenter-client.ts';
import { loadJiraConfig } from '../integrations/jira/jira-config.ts';
import { handleSlackFileJob } from '../integrations/slack/message-events.ts';
import { createSlackClient } from '../integrations/slack/slack-client.ts';
import { loadSlackConfig } from '../integrations/slack/slack-config.ts';
import type { InboundDocument } from '../src/core/integration.ts';
import { Secret } from '../src/core/secret.ts';
import { createScanner } from '../src/detection/scanner.ts';
import { createLogger } from '../src/logger.ts';
import { isPrivateAddress } from '../src/verification/address-policy.ts';
import { HostRateLimiter } from '../src/verification/rate-limiter.ts';
import { createVerificationRunner, DEFAULT_VERIFICATION_POLICY } from '../src/verification/runner.ts';
import { createSafeHttp, EgressRefusedError } from '../src/verification/safe-http.ts';

/**
 * Invariant 3 with real sockets (no msw): verification and the other fetches
 * that take a URL from configuration or inbound data never reach a private
 * address. A fake server on 127.0.0.1 stands for "something inside the
 * network" and must receive zero requests. DNS is faked for names under
 * `.ssrf.test` only, so a public-looking name can resolve to any address.
 */

const FAKE_DNS = new Map<string, Array<{ address: string; family: 4 | 6 }>>([
  ['loopback.ssrf.test', [{ address: '127.0.0.1', family: 4 }]],
  ['loopback6.ssrf.test', [{ address: '::1', family: 6 }]],
  ['rfc1918.ssrf.test', [{ address: '10.1.2.3', family: 4 }]],
  ['metadata.ssrf.test', [{ address: '169.254.169.254', family: 4 }]],
  ['ula.ssrf.test', [{ address: 'fd12:3456:789a::1', family: 6 }]],
  ['mapped.ssrf.test', [{ address: '::ffff:127.0.0.1', family: 6 }]],
  ['mapped-hex.ssrf.test', [{ address: '::ffff:7f00:1', family: 6 }]],
  ['compat.ssrf.test', [{ address: '::127.0.0.1', family: 6 }]],
  ['unspecified.ssrf.test', [{ address: '0.0.0.0', family: 4 }]],
  ['cgnat.ssrf.test', [{ address: '100.64.0.1', family: 4 }]],
  // A public answer with a private one behind it (or in front of it): the whole answer is refused.
  [
    'mixed.ssrf.test',
    [
      { address: '93.184.215.14', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ],
  ],
  [
    'mixed-first.ssrf.test',
    [
      { address: '127.0.0.1', family: 4 },
      { address: '93.184.215.14', family: 4 },
    ],
  ],
]);

vi.mock('node:dns', async (importOriginal) => {
  const real = await importOriginal<typeof dns>();
  function lookup(hostname: string, options: unknown, callback?: unknown): void {
    const cb = (typeof options === 'function' ? options : callback) as (
      error: NodeJS.ErrnoException | null,
      address: unknown,
      family?: number,
    ) => void;
    const opts = (typeof options === 'object' && options !== null ? options : {}) as { all?: boolean };
    const answer = FAKE_DNS.get(hostname.toLowerCase());
    if (!answer) {
      if (hostname.endsWith('.ssrf.test')) {
        const error = new Error(`getaddrinfo ENOTFOUND ${hostname}`) as NodeJS.ErrnoException;
        error.code = 'ENOTFOUND';
        return void queueMicrotask(() => cb(error, undefined));
      }
      return (real.lookup as (...args: unknown[]) => void)(hostname, options, callback);
    }
    queueMicrotask(() => (opts.all ? cb(null, answer) : cb(null, answer[0]!.address, answer[0]!.family)));
  }
  return { ...real, default: { ...real, lookup }, lookup };
});

/** A server standing for an internal service: counts every request it receives. */
interface Target {
  server: Server;
  port: number;
  requests: string[];
}

async function startTarget(
  host: string,
  respond: (req: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: string } = () => ({
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: '{"ok":true}',
  }),
): Promise<Target> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const answer = respond(req);
    res.writeHead(answer.status, answer.headers).end(answer.body ?? '');
  });
  // Bounded: a test that somehow loops cannot pile up sockets.
  server.maxConnections = 50;
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

const close = (t: Target | undefined) =>
  t ? new Promise<void>((resolve) => t.server.close(() => resolve())) : Promise.resolve();

let internal: Target;
let redirectTarget: Target;
let ipv6: Target | undefined;
beforeAll(async () => {
  internal = await startTarget('127.0.0.1');
  redirectTarget = await startTarget('127.0.0.1');
  try {
    ipv6 = await startTarget('::1');
  } catch {
    ipv6 = undefined; // no IPv6 loopback here: the ::1 case is still refused before any connect
  }
});
afterAll(async () => {
  await Promise.all([close(internal), close(redirectTarget), close(ipv6)]);
});
beforeEach(() => {
  internal.requests.length = 0;
  redirectTarget.requests.length = 0;
  if (ipv6) ipv6.requests.length = 0;
});

const safeHttp = (allowPrivate: boolean) =>
  createSafeHttp({
    allowPrivate,
    timeoutMs: 2000,
    maxResponseBytes: 4096,
    limiter: new HostRateLimiter(1000),
    userAgent: 'ssrf-test',
  });

const totalHits = () => internal.requests.length + redirectTarget.requests.length + (ipv6?.requests.length ?? 0);

describe('address policy', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.1',
    '::1',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::',
    'fc00::1',
    'fd12:3456:789a::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:a9fe:a9fe',
    '0:0:0:0:0:ffff:7f00:1',
    '::127.0.0.1',
    '::ffff:0:7f00:1',
    '2002:7f00:1::1',
    '2002:a00:1::1',
    'not-an-address',
  ])('%s is private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '2606:4700::6810:84e5', '::ffff:8.8.8.8', '2002:808:808::1'])(
    '%s is public',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe('safe HTTP: DNS names resolving to private addresses', () => {
  it.each([...FAKE_DNS.keys()])('refuses %s before connecting', async (name) => {
    for (const port of [internal.port, ipv6?.port ?? internal.port]) {
      const scope = { hosts: [name], baseUrls: [`http://${name}:${port}`], methods: new Set(['GET']) };
      for (const url of [`https://${name}:${port}/api`, `http://${name}:${port}/api`]) {
        await expect(safeHttp(false)(scope, { url })).rejects.toBeInstanceOf(EgressRefusedError);
      }
    }
    expect(totalHits()).toBe(0);
  });

  it('a name that resolves to loopback is reached only when private targets are allowed (the test can fail)', async () => {
    const scope = {
      hosts: [],
      baseUrls: [`http://loopback.ssrf.test:${internal.port}`],
      methods: new Set(['GET']),
    };
    const response = await safeHttp(true)(scope, { url: `http://loopback.ssrf.test:${internal.port}/x` });
    expect(response.status).toBe(200);
    expect(internal.requests).toEqual(['GET /x']);
  });
});

describe('safe HTTP: literal addresses in every spelling', () => {
  const spellings = (port: number) => [
    `http://127.0.0.1:${port}/`,
    `http://2130706433:${port}/`,
    `http://0x7f000001:${port}/`,
    `http://0x7f.1:${port}/`,
    `http://0177.0.0.1:${port}/`,
    `http://127.1:${port}/`,
    `http://0:${port}/`,
    `http://0.0.0.0:${port}/`,
    `http://[::ffff:127.0.0.1]:${port}/`,
    `http://[::ffff:7f00:1]:${port}/`,
    `http://[0:0:0:0:0:ffff:7f00:1]:${port}/`,
    `http://[::1]:${port}/`,
    `http://[::]:${port}/`,
    `http://169.254.169.254:${port}/latest/meta-data/`,
    `http://0xa9fea9fe:${port}/`,
  ];

  it('refuses each as a configured self-hosted base URL and as the request URL', async () => {
    for (const url of spellings(internal.port)) {
      const scope = { hosts: [], baseUrls: [url], methods: new Set(['GET']) };
      await expect(safeHttp(false)(scope, { url }), url).rejects.toBeInstanceOf(EgressRefusedError);
    }
    expect(totalHits()).toBe(0);
  });
});

describe('safe HTTP: redirects are never followed', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i to a private address or to a name resolving to one reaches nothing',
    async (status) => {
      const locations = [
        `http://127.0.0.1:${redirectTarget.port}/internal`,
        `http://loopback.ssrf.test:${redirectTarget.port}/internal`,
        `http://2130706433:${redirectTarget.port}/internal`,
        `http://169.254.169.254/latest/meta-data/`,
      ];
      for (const location of locations) {
        const redirector = await startTarget('127.0.0.1', () => ({ status, headers: { location } }));
        try {
          // The first hop must be reachable for the redirect to happen: only with private targets allowed.
          const scope = {
            hosts: [],
            baseUrls: [`http://127.0.0.1:${redirector.port}`],
            methods: new Set(['GET', 'POST']),
          };
          for (const method of ['GET', 'POST'] as const) {
            const response = await safeHttp(true)(scope, {
              url: `http://127.0.0.1:${redirector.port}/start`,
              method,
              ...(method === 'POST' ? { body: 'x' } : {}),
            });
            expect(response.status).toBe(status);
          }
          expect(redirector.requests).toHaveLength(2);
        } finally {
          await close(redirector);
        }
      }
      expect(redirectTarget.requests).toEqual([]);
    },
  );
});

describe('verifiers with a user-configured base URL', () => {
  const scanner = createScanner({ detectors, fingerprintKey: 'ssrf-test-fingerprint-key-0123456789abcdef' });
  /** One real match per detector that can verify or revoke (from its own examples). */
  const cases = detectors.flatMap((detector) => {
    if (!detector.verify && !detector.revoke) return [];
    for (const text of detector.examples.match) {
      const match = scanner.scan(text).find((m) => m.detectorId === detector.id);
      if (match) return [{ detector, match }];
    }
    return [];
  });
  const issuers = [...new Set(cases.map((c) => c.detector.issuer))];
  const policy = (allowPrivate: boolean, base: string) => ({
    ...DEFAULT_VERIFICATION_POLICY,
    allowPrivate,
    timeoutMs: 2000,
    concurrency: 16,
    hostRequestsPerSecond: 1000,
    cacheTtlMs: 0,
    baseUrls: Object.fromEntries(issuers.map((issuer) => [issuer, [base]])),
  });

  // Verifiers that ignore base URLs call their SaaS hosts: those requests are stopped here, never sent.
  const realFetch = globalThis.fetch;
  const offHost: string[] = [];
  beforeAll(() => {
    globalThis.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      if (url.hostname === '127.0.0.1' || url.hostname.endsWith('.ssrf.test')) return realFetch(input, init);
      offHost.push(url.host);
      return Promise.reject(new TypeError('fetch failed', { cause: { code: 'ENETUNREACH' } }));
    };
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
  });

  async function run(allowPrivate: boolean, base: string) {
    const runner = createVerificationRunner(policy(allowPrivate, base));
    const reached = new Set<string>();
    for (const { detector, match } of cases) {
      const before = internal.requests.length;
      if (detector.verify) await runner.verify(detector, match, { fresh: true });
      if (detector.revoke) await runner.revoke(detector, match);
      if (internal.requests.length > before) reached.add(detector.id);
    }
    return reached;
  }

  it('every issuer that uses its configured base URL reaches the internal server only when private targets are allowed', async () => {
    // Control: with private targets allowed, the verifiers that take a base URL really call it.
    const reachable = await run(true, `http://127.0.0.1:${internal.port}`);
    console.info(
      `${reachable.size} verifiers/revokers call their configured base URL:`,
      [...reachable].sort().join(' '),
    );
    expect(reachable.size).toBeGreaterThanOrEqual(10);
    for (const id of ['gitea-access-token', 'hashicorp-vault-service-token']) {
      if (cases.some((c) => c.detector.id === id)) expect(reachable).toContain(id);
    }
    internal.requests.length = 0;

    for (const base of [
      `http://127.0.0.1:${internal.port}`,
      `http://loopback.ssrf.test:${internal.port}`,
      `http://mixed.ssrf.test:${internal.port}`,
      `http://2130706433:${internal.port}`,
      `https://metadata.ssrf.test:${internal.port}`,
    ]) {
      const reached = await run(false, base);
      expect([...reached], base).toEqual([]);
    }
    expect(totalHits()).toBe(0);
  }, 60_000);
});

describe('Slack file downloads (slack-file job) go only to Slack hosts', () => {
  const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
  let slackApi: Target;
  let fileUrl = '';
  beforeAll(async () => {
    // A Slack Web API stand-in (configured as SLACK_API_URL) whose files.info points the file anywhere.
    slackApi = await startTarget('127.0.0.1', (req) =>
      req.url?.startsWith('/api/files.info')
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              ok: true,
              file: {
                id: 'F0FILE0001',
                name: 'notes.txt',
                filetype: 'text',
                mimetype: 'text/plain',
                size: 10,
                url_private: fileUrl,
                url_private_download: fileUrl,
                channels: ['C0GENERAL1'],
              },
            }),
          }
        : { status: 404 },
    );
  });
  afterAll(() => close(slackApi));

  it.each([
    (port: number) => `http://127.0.0.1:${port}/files/notes.txt`,
    (port: number) => `https://127.0.0.1:${port}/files/notes.txt`,
    (port: number) => `http://loopback.ssrf.test:${port}/files/notes.txt`,
    (port: number) => `https://files.slack.com.loopback.ssrf.test:${port}/notes.txt`,
    (port: number) => `https://loopback.ssrf.test:${port}/files.slack.com/notes.txt`,
    (port: number) => `https://files.slack.com@loopback.ssrf.test:${port}/notes.txt`,
    (port: number) => `http://files.slack.com:${port}/notes.txt`,
    () => 'http://169.254.169.254/latest/meta-data/',
  ])('refuses file URL %#, sending the bot token nowhere', async (url) => {
    fileUrl = url(internal.port);
    const config = loadSlackConfig({
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99eeeeee85a5',
      SLACK_API_URL: `http://127.0.0.1:${slackApi.port}/api/`,
    })!;
    const logger = createLogger({ level: 'silent' });
    const submitted: InboundDocument[] = [];
    const outcome = await handleSlackFileJob(
      {
        config,
        bot: createSlackClient(config.botToken, config, logger),
        boss: {} as PgBoss,
        sink: { submit: async (docs) => void submitted.push(...docs) },
        logger,
      },
      { teamId: 'T0ACME0001', fileId: 'F0FILE0001', channelId: 'C0GENERAL1' },
    );
    expect(outcome).toEqual({ status: 'skipped', reason: 'file URL not on a Slack host' });
    expect(submitted).toEqual([]);
    expect(slackApi.requests.some((r) => r.startsWith('POST /api/files.info'))).toBe(true);
    expect(totalHits()).toBe(0);
  });
});

describe('secrets in refused requests', () => {
  it('a refusal names the host, never the secret in the URL', async () => {
    const secret = new Secret('glpat-ssrfTestSecretValue0123', 'glpat-********0123');
    const failure = await safeHttp(false)(
      { hosts: ['loopback.ssrf.test'], baseUrls: [], methods: new Set(['GET']) },
      {
        url: new Secret(
          `https://loopback.ssrf.test/api?token=${secret.reveal()}`,
          'https://loopback.ssrf.test/api?token=[secret]',
        ),
      },
    ).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(EgressRefusedError);
    expect((failure as Error).message).not.toContain(secret.reveal());
    expect(totalHits()).toBe(0);
  });
});

describe('links taken from platform answers stay on the configured site', () => {
  it('a Jira Data Center attachment whose content URL points elsewhere is not fetched (no credentials sent)', async () => {
    const site = await startTarget('127.0.0.1');
    try {
      const client = createDataCenterClient(
        loadJiraConfig({
          JIRA_URL: `http://127.0.0.1:${site.port}`,
          JIRA_DEPLOYMENT: 'datacenter',
          JIRA_PAT: 'NjM4MzQ1OTk0MjQ3OkdrZXlfdGVzdF9wYXQ',
        })!,
      );
      for (const contentUrl of [
        `http://127.0.0.1:${internal.port}/secure/attachment/1/notes.txt`,
        `http://loopback.ssrf.test:${site.port}/secure/attachment/1/notes.txt`,
        `http://169.254.169.254/latest/meta-data/`,
        `https://127.0.0.1:${site.port}/secure/attachment/1/notes.txt`,
      ]) {
        await expect(
          client.readAttachment({ id: '1', filename: 'notes.txt', contentUrl } as never, 1024),
          contentUrl,
        ).rejects.toThrow(/not on the Jira site/);
      }
      expect(site.requests).toEqual([]);
      expect(totalHits()).toBe(0);
    } finally {
      await close(site);
    }
  });

  it('a Confluence `_links.next` to another origin is refused before any request', async () => {
    const config = loadConfluenceConfig({
      CONFLUENCE_URL: 'https://wiki.ssrf.test/confluence',
      CONFLUENCE_PAT: 'NjM2NTQ4MzE2Nzg5OkQ8dc-pat-for-tests',
    })!;
    const http = new ConfluenceHttp(config);
    for (const next of [
      `http://127.0.0.1:${internal.port}/rest/api/content?start=50`,
      `https://loopback.ssrf.test/confluence/rest/api/content?start=50`,
      `http://wiki.ssrf.test/confluence/rest/api/content?start=50`,
    ]) {
      await expect(http.request({ path: next }), next).rejects.toThrow(/refusing to send Confluence credentials/);
    }
    expect(totalHits()).toBe(0);
  });
});
