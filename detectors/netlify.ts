import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** `<vendor>[ _-]<qualifiers>token: value`: a bounded keyword-assignment prefix with no ambiguous overlaps. */
function assigned(vendor: string, names: string, secret: string): RegExp {
  return new RegExp(
    `${vendor}(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|access|auth|deploy|global|account|service|personal|cli|admin|app|secret|private|public)[_.\\s-]{0,2}){0,2}(?:${names})s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?(?<secret>${secret})(?![\\w-])`,
    'i',
  );
}

/** `GET /api/v1/user`: Netlify's documented "current user" endpoint. */
const currentUserVerifier = httpVerifier({
  hosts: ['api.netlify.com'],
  request: (secret) => ({
    url: 'https://api.netlify.com/api/v1/user',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [401],
  confirm: (response) => field(response.body, 'id') !== undefined,
  facts: (response) => {
    const account = field(response.body, 'slug') ?? field(response.body, 'email');
    return account ? { account } : undefined;
  },
  fixtures: {
    live: {
      status: 200,
      body: {
        id: '5f3c9a2e1b7d4c0a8e6f1234',
        uid: null,
        full_name: 'Docs Deploy',
        email: 'docs-deploy@northwind.io',
        slug: 'docs-deploy',
        affiliate_id: '',
        site_count: 12,
      },
    },
    dead: { status: 401, body: { code: 401, message: 'Access Denied: Invalid token supplied' } },
  },
});

export const netlifyPersonalAccessToken: Detector = {
  id: 'netlify-personal-access-token',
  name: 'Netlify personal access token',
  issuer: 'netlify',
  keywords: ['nfp_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>nfp_[A-Za-z0-9]{36,44})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'critical',
  verify: currentUserVerifier,
  examples: {
    match: [
      'NETLIFY_AUTH_TOKEN=nfp_cCGVwz5P3k1es3Ql6Stw8gnqtYuWkydqxcVv',
      'netlify deploy --prod --auth nfp_ZDhpqnXKTaY1zwjTshLHqcgdN0jWvpn8nbCU --site docs',
    ],
    ignore: [
      'NETLIFY_AUTH_TOKEN=nfp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'NETLIFY_AUTH_TOKEN=nfp_cCGVwz5P3k1es3Ql6St',
      'NETLIFY_AUTH_TOKEN=${NETLIFY_AUTH_TOKEN}',
    ],
  },
};

export const netlifyLegacyAccessToken: Detector = {
  id: 'netlify-legacy-access-token',
  name: 'Netlify access token (legacy format)',
  issuer: 'netlify',
  keywords: ['netlify'],
  pattern: assigned('netlify', 'token|key|secret', '[A-Za-z0-9_-]{43,45}'),
  entropy: 3.8,
  severity: 'critical',
  verify: currentUserVerifier,
  examples: {
    match: [
      'NETLIFY_AUTH_TOKEN=OYW-lHMSIjbA9ROV2_ZtFB18x2ZXxkJHzQezKJbZSsi',
      'docs site still deploys with the netlify auth token: 4MjNo1DNwrtA-NnEvcsqnDjHkZYWyswotSyyWQBJXJf',
    ],
    ignore: [
      'NETLIFY_AUTH_TOKEN=${{ secrets.NETLIFY_AUTH_TOKEN }}',
      // a site id (UUID) is not a token
      'NETLIFY_SITE_ID=6c2e8f1a-93b4-4d7e-a0c5-1f9b3d2e7a48',
      'netlify token: see the vault entry netlify/deploy-token-for-docs-website',
    ],
  },
};

export const netlifyDetectors: readonly Detector[] = [netlifyPersonalAccessToken, netlifyLegacyAccessToken];
