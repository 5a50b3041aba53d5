import type { Detector } from '../src/core/detector.ts';
import type { Verifier } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** `GET /api/whoami-v2`: the read-only "who am I" (user or org, and the token's role). */
const whoamiVerifier: Verifier = httpVerifier({
  hosts: ['huggingface.co'],
  request: (secret) => ({
    url: 'https://huggingface.co/api/whoami-v2',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [401],
  facts: (r) => {
    const role = field(r.body, 'auth', 'accessToken', 'role');
    return {
      ...(field(r.body, 'name') ? { account: field(r.body, 'name') } : {}),
      ...(role ? { scopes: [role] } : {}),
      privileged: role === 'write',
    };
  },
  fixtures: {
    live: {
      status: 200,
      body: {
        type: 'user',
        id: '64f1c0a2b3d4e5f6a7b8c9d0',
        name: 'acme-ml',
        orgs: [{ type: 'org', name: 'acme' }],
        auth: { type: 'access_token', accessToken: { displayName: 'ci-upload', role: 'write' } },
      },
    },
    dead: { status: 401, body: { error: 'Invalid credentials in Authorization header' } },
  },
});

/** User access tokens: `hf_` + 34 letters. */
export const huggingfaceUserToken: Detector = {
  id: 'huggingface-user-token',
  name: 'Hugging Face user access token',
  issuer: 'huggingface',
  keywords: ['hf_'],
  pattern: /(?<![\w-])(?<secret>hf_[A-Za-z]{34})(?![\w-])/,
  validate: (secret) => /[a-z]/.test(secret.slice(3)) && /[A-Z]/.test(secret.slice(3)),
  entropy: 3.5,
  severity: 'high',
  verify: whoamiVerifier,
  examples: {
    match: [
      'HF_TOKEN=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',
      'huggingface-cli login --token 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',
    ],
    ignore: [
      'HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'from hf_transfer import download  # hf_hub_download_with_progress_bars',
      'hf_gbqGsnSPQgsPjVTziOZzTELtiFqppYY',
    ],
  },
};

/** Legacy organization API tokens: `api_org_` + 34 letters. */
export const huggingfaceOrgToken: Detector = {
  id: 'huggingface-org-token',
  name: 'Hugging Face organization API token',
  issuer: 'huggingface',
  keywords: ['api_org_'],
  pattern: /(?<![\w-])(?<secret>api_org_[A-Za-z]{34})(?![\w-])/,
  validate: (secret) => /[a-z]/.test(secret.slice(8)) && /[A-Z]/.test(secret.slice(8)),
  entropy: 3.5,
  severity: 'high',
  verify: whoamiVerifier,
  examples: {
    match: [
      'HUGGINGFACE_ORG_TOKEN=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',
      'the org token 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 can still push to acme/*',
    ],
    ignore: [
      'HUGGINGFACE_ORG_TOKEN=api_org_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'def create_api_org_token_for_partner(org_name):',
      'api_org_htyWqQBMSXngMEckPKbDGZoMO',
    ],
  },
};

export const huggingfaceDetectors: readonly Detector[] = [huggingfaceUserToken, huggingfaceOrgToken];
