import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import type { Detector } from '../core/detector.ts';
import { createScanner } from '../detection/scanner.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { httpVerifier } from './http-verifier.ts';
import { createVerificationRunner, DEFAULT_VERIFICATION_POLICY, type VerificationPolicy } from './runner.ts';
import { secretText } from './sensitive.ts';

const server = useMswServer();

const TOKEN = 'tst_Zq8mR2vK9pL4xW7nT1sY6bH3cJ5dF0aQ';

function detector(overrides: Partial<Detector> = {}): Detector {
  return {
    id: 'test-token',
    name: 'test token',
    issuer: 'testco',
    keywords: ['tst_'],
    pattern: /(?<secret>tst_[A-Za-z0-9]{32})/,
    severity: 'high',
    examples: { match: [], ignore: [] },
    verify: httpVerifier({
      hosts: ['api.testco.test'],
      request: (secret) => ({
        url: 'https://api.testco.test/whoami',
        headers: { authorization: secretText`Bearer ${secret}` },
      }),
      facts: (res) => ({ account: String((res.body as { login: string }).login) }),
      fixtures: { live: { status: 200, body: { login: 'ci-bot' } }, dead: { status: 401 } },
    }),
    ...overrides,
  };
}

function matchOf(d: Detector, text = `token ${TOKEN}`) {
  const [m] = createScanner({ detectors: [d], fingerprintKey: 'runner-test-key-0123456789abcdef0123' }).scan(text);
  if (!m) throw new Error('no match');
  return m;
}

function policy(overrides: Partial<VerificationPolicy> = {}): VerificationPolicy {
  return { ...DEFAULT_VERIFICATION_POLICY, hostRequestsPerSecond: 10_000, ...overrides };
}

function countRequests(status = 200, body: unknown = { login: 'ci-bot' }) {
  const seen: Request[] = [];
  server.use(
    http.all('*', ({ request }) => {
      seen.push(request);
      return HttpResponse.json(body as never, { status });
    }),
  );
  return seen;
}

describe('verification runner', () => {
  it('sends the secret only to the issuer host and returns facts', async () => {
    const seen = countRequests();
    const d = detector();
    const result = await createVerificationRunner(policy()).verify(d, matchOf(d));
    expect(result).toEqual({ liveness: 'live', facts: { account: 'ci-bot' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN}`);
  });

  it('caches definitive results per detector and fingerprint', async () => {
    const seen = countRequests();
    const d = detector();
    const runner = createVerificationRunner(policy());
    await runner.verify(d, matchOf(d));
    await runner.verify(d, matchOf(d, `again: ${TOKEN}`));
    expect(seen).toHaveLength(1);
  });

  it('asks the issuer again when a fresh result is requested', async () => {
    const seen = countRequests();
    const d = detector();
    const runner = createVerificationRunner(policy());
    await runner.verify(d, matchOf(d));
    await runner.verify(d, matchOf(d), { fresh: true });
    expect(seen).toHaveLength(2);
  });

  it('does nothing when switched off globally or per detector', async () => {
    const seen = countRequests();
    const d = detector();
    expect(await createVerificationRunner(policy({ enabled: false })).verify(d, matchOf(d))).toMatchObject({
      liveness: 'not_attempted',
      reason: 'verification is disabled',
    });
    const perDetector = await createVerificationRunner(policy({ disabledDetectors: new Set(['test-token']) })).verify(
      d,
      matchOf(d),
    );
    expect(perDetector.liveness).toBe('not_attempted');
    expect(seen).toHaveLength(0);
  });

  it('refuses hosts outside the issuer allowlist, plain http and state-changing methods, sending nothing', async () => {
    const seen = countRequests();
    const runner = createVerificationRunner(policy());
    for (const url of [
      'https://evil.test/steal',
      'http://api.testco.test/whoami',
      'https://api.testco.test.evil.test/',
    ]) {
      const d = detector({
        verify: httpVerifier({
          hosts: ['api.testco.test'],
          request: (secret) => ({ url, headers: { authorization: secretText`Bearer ${secret}` } }),
          fixtures: { live: { status: 200 }, dead: { status: 401 } },
        }),
      });
      const result = await runner.verify(d, matchOf(d));
      expect(result.liveness, url).toBe('not_attempted');
      expect(result.reason).toMatch(/egress policy/);
    }
    const deleting = detector({
      verify: httpVerifier({
        hosts: ['api.testco.test'],
        request: () => ({ method: 'DELETE' as never, url: 'https://api.testco.test/token' }),
        fixtures: { live: { status: 204 }, dead: { status: 401 } },
      }),
    });
    expect((await runner.verify(deleting, matchOf(deleting))).reason).toMatch(/method DELETE/);
    expect(seen).toHaveLength(0);
  });

  it('refuses private address literals unless allowed', async () => {
    const seen = countRequests();
    for (const host of ['127.0.0.1', '169.254.169.254', '10.1.2.3', '[::1]']) {
      const d = detector({
        verify: httpVerifier({
          hosts: [host.replace(/^\[|\]$/g, '')],
          request: () => ({ url: `https://${host}/whoami` }),
          fixtures: { live: { status: 200 }, dead: { status: 401 } },
        }),
      });
      const result = await createVerificationRunner(policy()).verify(d, matchOf(d));
      expect(result.reason, host).toMatch(/private address/);
    }
    expect(seen).toHaveLength(0);
  });

  it('only calls self-hosted issuers at configured base URLs', async () => {
    const seen = countRequests();
    const d = detector({
      verify: httpVerifier({
        hosts: [],
        selfHosted: true,
        request: (secret, ctx) => ({ url: `${ctx.baseUrls[0]}/api/whoami`, headers: { 'private-token': secret } }),
        fixtures: { live: { status: 200 }, dead: { status: 401 } },
      }),
    });
    const unconfigured = await createVerificationRunner(policy()).verify(d, matchOf(d));
    expect(unconfigured).toMatchObject({
      liveness: 'not_attempted',
      reason: 'no self-hosted testco base URL configured',
    });
    const configured = await createVerificationRunner(
      policy({ baseUrls: { testco: ['https://git.corp.test'] } }),
    ).verify(d, matchOf(d));
    expect(configured.liveness).toBe('live');
    expect(seen.map((r) => new URL(r.url).origin)).toEqual(['https://git.corp.test']);
  });

  it('never follows redirects', async () => {
    const seen: string[] = [];
    server.use(
      http.all('*', ({ request }) => {
        seen.push(request.url);
        return new HttpResponse(null, {
          status: 302,
          headers: { location: 'http://169.254.169.254/latest/meta-data/' },
        });
      }),
    );
    const d = detector();
    const result = await createVerificationRunner(policy()).verify(d, matchOf(d));
    expect(result).toMatchObject({ liveness: 'unknown', reason: 'unexpected HTTP 302' });
    expect(seen).toEqual(['https://api.testco.test/whoami']);
  });

  it('never contacts an AWS canary account', async () => {
    const seen = countRequests();
    const aws = detector({ id: 'aws-test', issuer: 'aws', keywords: ['AKIA'], pattern: /(?<secret>AKIA[A-Z2-7]{16})/ });
    // Key id whose embedded account is canarytokens.org's 052310077262.
    const result = await createVerificationRunner(policy()).verify(aws, matchOf(aws, 'id AKIAAYLPMN5HAAJDIVTY'));
    expect(result).toMatchObject({ liveness: 'not_attempted', facts: { canary: true } });
    expect(seen).toHaveLength(0);
  });
});

describe('test harness', () => {
  it('fails a request no handler answers (no test can reach a real vendor)', async () => {
    const d = detector();
    const result = await createVerificationRunner(policy()).verify(d, matchOf(d));
    expect(result.liveness).toBe('unknown');
  });
});
