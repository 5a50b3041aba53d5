import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { detectors } from '../detectors/index.ts';
import type { Detector } from '../src/core/detector.ts';
import type { Match } from '../src/core/match.ts';
import type { CannedResponse } from '../src/core/verification.ts';
import { hostMatches } from '../src/verification/address-policy.ts';
import { createScanner } from '../src/detection/scanner.ts';
import { createVerificationRunner, DEFAULT_VERIFICATION_POLICY } from '../src/verification/runner.ts';
import { useMswServer } from './msw-server.ts';

const server = useMswServer();
const scanner = createScanner({ detectors, fingerprintKey: 'verifier-contract-key-0123456789abcdef' });
const SELF_HOSTED = 'https://selfhosted.leakwatch.test';

function runner(timeoutMs = 2000) {
  return createVerificationRunner({
    ...DEFAULT_VERIFICATION_POLICY,
    baseUrls: Object.fromEntries(detectors.map((d) => [d.issuer, [SELF_HOSTED]])),
    timeoutMs,
    hostRequestsPerSecond: 10_000,
  });
}

/** The first match of the detector in its own examples (with companions), to verify. */
function sampleMatch(detector: Detector): Match {
  for (const text of detector.examples.match) {
    const match = scanner.scan(text).find((m) => m.detectorId === detector.id);
    if (match) return match;
  }
  throw new Error(`${detector.id}: no example yields a match`);
}

function reply(canned: CannedResponse): Response {
  const headers = new Headers(canned.headers);
  if (canned.body === undefined) return new HttpResponse(null, { status: canned.status, headers });
  if (typeof canned.body === 'string') return new HttpResponse(canned.body, { status: canned.status, headers });
  return HttpResponse.json(canned.body as never, { status: canned.status, headers });
}

interface Seen {
  method: string;
  url: URL;
}

function answerAll(respond: () => Response | Promise<Response>): Seen[] {
  const seen: Seen[] = [];
  server.use(
    http.all('*', async ({ request }) => {
      seen.push({ method: request.method, url: new URL(request.url) });
      return respond();
    }),
  );
  return seen;
}

function expectAllowedEgress(detector: Detector, hosts: readonly string[], seen: Seen[], methods: string[]): void {
  expect(seen.length, 'the check made no request').toBeGreaterThan(0);
  for (const s of seen) {
    expect(methods, `${s.method} ${s.url.origin}`).toContain(s.method);
    const allowed = hostMatches(s.url.hostname, hosts) || s.url.origin === SELF_HOSTED;
    expect(allowed, `${detector.id} contacted ${s.url.hostname}`).toBe(true);
    expect(s.url.protocol).toBe('https:');
  }
}

const verifiable = detectors.filter((d) => d.verify !== undefined);
const revocable = detectors.filter((d) => d.revoke !== undefined);

describe.each(verifiable.map((d) => [d.id, d] as const))('verifier %s', (_id, detector) => {
  const verifier = detector.verify!;

  it('reports live on the issuer’s success answer, contacting only its hosts with read-only methods', async () => {
    const seen = answerAll(() => reply(verifier.fixtures.live));
    const result = await runner().verify(detector, sampleMatch(detector));
    expect(result, result.reason).toMatchObject({ liveness: 'live' });
    expectAllowedEgress(detector, verifier.hosts, seen, ['GET', 'HEAD', 'POST']);
  });

  it('reports dead on the issuer’s rejection', async () => {
    answerAll(() => reply(verifier.fixtures.dead));
    expect(await runner().verify(detector, sampleMatch(detector))).toMatchObject({ liveness: 'dead' });
  });

  it('reports unknown on an unexpected answer, without the secret in the reason', async () => {
    answerAll(() => new HttpResponse('<html>maintenance</html>', { status: 418 }));
    const match = sampleMatch(detector);
    const result = await runner().verify(detector, match);
    expect(result.liveness).toBe('unknown');
    expect(result.reason ?? '').not.toContain(match.secret.reveal());
  });

  it('reports unknown when the issuer does not answer in time', async () => {
    answerAll(async () => {
      await delay(1500);
      return reply(verifier.fixtures.live);
    });
    const result = await runner(150).verify(detector, sampleMatch(detector));
    expect(result.liveness).toBe('unknown');
    expect(result.reason).toMatch(/timed out/);
  });

  it('honours 429 Retry-After: unknown with a retry time, and no further request until then', async () => {
    const seen = answerAll(() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '120' } }));
    const r = runner();
    const before = Date.now();
    const first = await r.verify(detector, sampleMatch(detector));
    expect(first.liveness).toBe('unknown');
    expect(first.retryAt).toBeGreaterThanOrEqual(before + 119_000);
    const requests = seen.length;
    expect((await r.verify(detector, sampleMatch(detector))).liveness).toBe('unknown');
    expect(seen.length).toBe(requests);
  });
});

describe.each(revocable.map((d) => [d.id, d] as const))('revoker %s', (_id, detector) => {
  const revoker = detector.revoke!;

  it('reports revoked on the issuer’s success answer, contacting only its hosts', async () => {
    const seen = answerAll(() => reply(revoker.fixtures.revoked));
    const result = await runner().revoke(detector, sampleMatch(detector));
    expect(result, result.reason).toMatchObject({ outcome: 'revoked' });
    expectAllowedEgress(detector, revoker.hosts, seen, ['GET', 'HEAD', 'POST', 'DELETE', 'PATCH', 'PUT']);
  });

  it('does not report revoked on a failure answer, a timeout or a 429', async () => {
    answerAll(() => reply(revoker.fixtures.failed));
    expect((await runner().revoke(detector, sampleMatch(detector))).outcome).not.toBe('revoked');
    answerAll(async () => {
      await delay(1500);
      return reply(revoker.fixtures.revoked);
    });
    expect((await runner(150).revoke(detector, sampleMatch(detector))).outcome).toBe('failed');
    answerAll(() => new HttpResponse(null, { status: 429, headers: { 'retry-after': '5' } }));
    expect((await runner().revoke(detector, sampleMatch(detector))).outcome).toBe('failed');
  });
});

it('has verifiers and revokers to check', () => {
  expect(verifiable.length).toBeGreaterThan(0);
});
