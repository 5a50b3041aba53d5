import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/**
 * `GET /1/auth` with `X-Honeycomb-Team` describes the key (team, environment,
 * type) for ingest and configuration keys alike; US and EU are separate hosts.
 */
const honeycombAuth = inRegions(
  ['api.honeycomb.io', 'api.eu1.honeycomb.io'].map((host) =>
    httpVerifier({
      hosts: [host],
      request: (secret) => ({ url: `https://${host}/1/auth`, headers: { 'x-honeycomb-team': secret } }),
      facts: (response) => {
        const team = field(response.body, 'team', 'slug');
        const environment = field(response.body, 'environment', 'slug');
        const type = field(response.body, 'type');
        return {
          ...(team === undefined ? {} : { account: team }),
          details: {
            ...(environment === undefined ? {} : { environment }),
            ...(type === undefined ? {} : { type }),
            region: host === 'api.honeycomb.io' ? 'US' : 'EU',
          },
        };
      },
      fixtures: {
        live: {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: {
            id: 'hcxik_01j8zq5r3',
            type: 'ingest',
            api_key_access: { events: true, markers: false },
            environment: { name: 'production', slug: 'production' },
            team: { name: 'Acme', slug: 'acme' },
          },
        },
        dead: {
          status: 401,
          headers: { 'content-type': 'application/json' },
          body: { error: 'unknown API key - check your credentials' },
        },
      },
    }),
  ),
);

/**
 * Ingest keys: `hc<x>ik_` + 26-char key id + 32-char secret, sent as one value.
 * They can only write telemetry (and optionally create datasets).
 */
export const honeycombIngestKey: Detector = {
  id: 'honeycomb-ingest-key',
  name: 'Honeycomb ingest key',
  issuer: 'honeycomb',
  // The key type letter after `hc` varies: one literal keyword per letter.
  keywords: [...'abcdefghijklmnopqrstuvwxyz'].map((letter) => `hc${letter}ik_`),
  pattern: /(?<![A-Za-z0-9_])(?<secret>hc[a-z]ik_[a-z0-9]{58})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'medium',
  verify: honeycombAuth,
  examples: {
    match: [
      'OTEL_EXPORTER_OTLP_HEADERS="x-honeycomb-team=hcaik_1edalqb68g9st5hlni7msia3mvsxhx5bc6wkp6l9qfzb1lfaxx49rljtkg"',
      'browser SDK init: new HoneycombWebSDK({ apiKey: "hcxik_3qvgc349ptez7lm16bnrpbr5brluvrquintt5yjkz7y6dpj75ncudf7doc" })',
    ],
    ignore: [
      // key id alone (what the UI lists), without the secret
      'the key hcaik_1edalqb68g9st5hlni7msia3 was disabled yesterday',
      'x-honeycomb-team=hcaik_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'management keys (hcamk_…) need a key id and a secret',
    ],
  },
};

/**
 * Configuration keys (22 alphanumerics) and Classic keys (32 hex): no prefix,
 * so only after a Honeycomb name or the `X-Honeycomb-Team` header. They manage
 * boards, triggers, SLOs and columns of an environment.
 */
export const honeycombConfigurationKey: Detector = {
  id: 'honeycomb-configuration-key',
  name: 'Honeycomb configuration key',
  issuer: 'honeycomb',
  keywords: ['honeycomb'],
  pattern:
    /(?:\bx-honeycomb-team|\bhoneycomb[\w. -]{0,20}?(?:key|token|team))[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{22}|[0-9a-f]{32})(?![A-Za-z0-9_-])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/i.test(secret),
  entropy: 3,
  severity: 'high',
  verify: honeycombAuth,
  examples: {
    match: [
      'HONEYCOMB_API_KEY=tPy3iHBHALeKgrwBwjWRsL ./buildevents step $TRAVIS_BUILD_ID',
      'curl https://api.honeycomb.io/1/markers/deploys -X POST -H "X-Honeycomb-Team: d65f1a13ecf72a831911b719a3582d42"',
    ],
    ignore: [
      'HONEYCOMB_API_KEY=<your-honeycomb-key>',
      // ingest keys are reported by honeycomb-ingest-key
      'X-Honeycomb-Team: hcaik_1edalqb68g9st5hlni7msia3mvsxhx5bc6wkp6l9qfzb1lfaxx49rljtkg',
      'honeycomb key for the team is in 1Password under honeycombproductionkey',
    ],
  },
};

export const honeycombDetectors: readonly Detector[] = [honeycombIngestKey, honeycombConfigurationKey];
