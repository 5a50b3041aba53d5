import type { Detector } from '../src/core/detector.ts';
import type { Verifier } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** `GET /v2/merchants` (read-only): lists the merchant the token acts for. Sandbox tokens answer 401 here. */
const merchantsVerifier: Verifier = httpVerifier({
  hosts: ['connect.squareup.com'],
  request: (secret) => ({
    url: 'https://connect.squareup.com/v2/merchants',
    headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/json' },
  }),
  deadStatus: [401],
  facts: (r) => {
    const merchant = (r.body as { merchant?: unknown[] } | null)?.merchant?.[0];
    const account = field(merchant, 'business_name') ?? field(merchant, 'id');
    return account ? { account } : undefined;
  },
  fixtures: {
    live: {
      status: 200,
      body: { merchant: [{ id: 'ML4VTGKH3J8QX', business_name: 'Acme Coffee', country: 'US', status: 'ACTIVE' }] },
    },
    dead: {
      status: 401,
      body: {
        errors: [
          { category: 'AUTHENTICATION_ERROR', code: 'UNAUTHORIZED', detail: 'This request could not be authorized.' },
        ],
      },
    },
  },
});

/** Production access tokens (personal or OAuth): `EAAA` + 60 base64url characters. */
export const squareAccessToken: Detector = {
  id: 'square-access-token',
  name: 'Square access token',
  issuer: 'square',
  keywords: ['EAAA'],
  pattern: /(?<![\w-])(?<secret>EAAA[A-Za-z0-9_-]{60})(?![\w+/=-])/,
  entropy: 4,
  severity: 'high',
  verify: merchantsVerifier,
  examples: {
    match: [
      'SQUARE_ACCESS_TOKEN=EAAAdlslY-O7bWR23YemWwXGFJfC7Nm6_GzrMsyvEiBXXSOsX3Te0fBnxrxNK0ha',
      'curl https://connect.squareup.com/v2/locations -H "Authorization: Bearer EAAA6KaRwfnptq2f6iQSp908ixf_ra4sOdr7aoL0_ptXSLqV14WEYFtVOFyMCD3G"',
    ],
    ignore: [
      'SQUARE_ACCESS_TOKEN=EAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'production tokens start with EAAA',
      // a longer Facebook-style token that merely starts with EAAA
      'EAAAdlslY-O7bWR23YemWwXGFJfC7Nm6_GzrMsyvEiBXXSOsX3Te0fBnxrxNK0haZBZCq9xL2',
    ],
  },
};

/** Legacy personal access tokens: `sq0atp-` + 22. */
export const squareLegacyAccessToken: Detector = {
  id: 'square-legacy-access-token',
  name: 'Square legacy access token',
  issuer: 'square',
  keywords: ['sq0atp-'],
  pattern: /(?<![\w-])(?<secret>sq0atp-[A-Za-z0-9_-]{22})(?![\w-])/,
  entropy: 3.5,
  severity: 'high',
  verify: merchantsVerifier,
  examples: {
    match: [
      'square_access_token: sq0atp-OXXMRJ_3CsAyCebg1ThxxB',
      'old POS integration still uses sq0atp-3L2ouCRAjRNH-6ZT8up5Nx — is that one revoked?',
    ],
    ignore: [
      'square_access_token: sq0atp-XXXXXXXXXXXXXXXXXXXXXX',
      'tokens with the sq0atp- prefix are legacy',
      'sq0atp-OXXMRJ_3CsAyCebg1Th',
    ],
  },
};

/** OAuth application secret: `sq0csp-` + 43. Used with the app id to mint merchant tokens; no bearer check exists. */
export const squareOauthSecret: Detector = {
  id: 'square-oauth-secret',
  name: 'Square OAuth application secret',
  issuer: 'square',
  keywords: ['sq0csp-'],
  pattern: /(?<![\w-])(?<secret>sq0csp-[A-Za-z0-9_-]{43})(?![\w-])/,
  entropy: 3.5,
  severity: 'high',
  examples: {
    match: [
      'SQUARE_APP_SECRET=sq0csp-47C24_KWJgK6evfq2sAOivQL64IMTz2kiPrCvyZgURF',
      '"client_secret": "sq0csp-QyFDLB_uoQwUMXcQnIC_kQvGIpXty8sXpKA2rWnogUb"',
    ],
    ignore: [
      'SQUARE_APP_SECRET=sq0csp-${SQUARE_SECRET}',
      'the OAuth secret looks like sq0csp-…',
      'sq0csp-47C24_KWJgK6evfq2sAOivQL64IMTz2k',
    ],
  },
};

export const squareDetectors: readonly Detector[] = [squareAccessToken, squareLegacyAccessToken, squareOauthSecret];
