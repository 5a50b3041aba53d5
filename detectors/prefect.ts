import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Prefect Cloud API keys: `pnu_` + 36. They can create deployments that workers then run. */
export const prefectApiKey: Detector = {
  id: 'prefect-api-key',
  name: 'Prefect Cloud API key',
  issuer: 'prefect',
  keywords: ['pnu_'],
  pattern: /(?<![\w-])(?<secret>pnu_[A-Za-z0-9]{36})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  // `GET /api/me/`: the read-only "who am I". Service-account keys may be refused with
  // something other than 401, which stays "unknown".
  verify: httpVerifier({
    hosts: ['api.prefect.cloud'],
    request: (secret) => ({
      url: 'https://api.prefect.cloud/api/me/',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    facts: (r) => {
      const account = field(r.body, 'handle') ?? field(r.body, 'email');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          id: '2c7e9a1b-3d4f-4a5b-8c6d-7e8f9a0b1c2d',
          handle: 'acme-data',
          first_name: 'Dana',
          last_name: 'Ops',
          email: 'data@acme.test',
        },
      },
      dead: { status: 401, body: { detail: 'Unauthorized' } },
    },
  }),
  examples: {
    match: [
      'PREFECT_API_KEY=pnu_W1xCbi2a7v3jndOMpcOVNFu2rZECXiEIxDAF',
      'prefect cloud login --key pnu_d80mNTXfRgawlvvwlMrQfheC1BTg3arwHy1M --workspace acme/prod',
    ],
    ignore: [
      'PREFECT_API_KEY=pnu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'PREFECT_API_KEY=pnu_...',
      'pnu_W1xCbi2a7v3jndOMpcOVNFu2rZ',
    ],
  },
};

export const prefectDetectors: readonly Detector[] = [prefectApiKey];
