import type { Detector } from '../src/core/detector.ts';
import type { VerificationResult, Verifier } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Infisical Cloud regions; a service token only authenticates in its own region. */
const REGIONS = ['app.infisical.com', 'eu.infisical.com'];

const regionVerifier = (host: string): Verifier =>
  httpVerifier({
    hosts: [host],
    // `GET /api/v2/service-token` describes the calling service token (project, scopes, expiry).
    request: (secret) => ({
      url: `https://${host}/api/v2/service-token`,
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    confirm: (response) => field(response.body, '_id') !== undefined || field(response.body, 'workspace') !== undefined,
    facts: (response) => {
      const expiresAt = field(response.body, 'expiresAt');
      const name = field(response.body, 'name');
      return { ...(expiresAt ? { expiresAt } : {}), ...(name ? { details: { tokenName: name } } : {}) };
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          _id: '6650f1c2a9d3b4e5f6071829',
          name: 'ci-read-prod',
          workspace: '664f0e1b2a3c4d5e6f708192',
          scopes: [{ environment: 'prod', secretPath: '/' }],
          permissions: ['read'],
          expiresAt: '2026-01-15T00:00:00.000Z',
        },
      },
      dead: {
        status: 401,
        body: { statusCode: 401, message: 'Failed to authenticate service token', error: 'UnauthorizedError' },
      },
    },
  });

const us = regionVerifier(REGIONS[0]!);
const eu = regionVerifier(REGIONS[1]!);

/** Tries the US region, then the EU one: dead only when both reject the token. */
const infisicalVerifier: Verifier = {
  hosts: REGIONS,
  fixtures: us.fixtures,
  async check(secret, ctx): Promise<VerificationResult> {
    const first = await us.check(secret, ctx);
    if (first.liveness !== 'dead') return first;
    return eu.check(secret, ctx);
  },
};

/** Infisical service tokens (v2): `st.<token id>.<secret>.<encryption key>`, hex parts. */
export const infisicalServiceToken: Detector = {
  id: 'infisical-service-token',
  name: 'Infisical service token',
  issuer: 'infisical',
  keywords: ['st.'],
  pattern: /(?<![\w.-])(?<secret>st\.[0-9a-f]{24}\.[0-9a-f]{24,64}\.[0-9a-f]{24,64})(?![\w.-])/,
  entropy: 3.5,
  severity: 'critical',
  verify: infisicalVerifier,
  examples: {
    match: [
      'INFISICAL_TOKEN=st.85d6500349fb45bdc21cebf9.8997f685069b1da337f69263bc7df334.3ef4d6a88c378a57b7a23761e535aef3',
      'infisical export --env=prod --token=st.1505a0b46bc0dd1d13ac6934.8fb8f96fb8d18d380953190c3d90a1c3.bd9b96c8d1260684725b53598490236d > .env',
    ],
    ignore: [
      'INFISICAL_TOKEN=st.<id>.<secret>.<key>',
      'INFISICAL_TOKEN=st.000000000000000000000000.00000000000000000000000000000000.00000000000000000000000000000000',
      'the first st. in the list was the 1st. one',
    ],
  },
};

export const infisicalDetectors: readonly Detector[] = [infisicalServiceToken];
