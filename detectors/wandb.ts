import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { basicAuth, jsonBody } from '../src/verification/sensitive.ts';

/** Weights & Biases API keys: 40 hex, prefix-less, so `wandb` must be nearby. */
export const wandbApiKey: Detector = {
  id: 'wandb-api-key',
  name: 'Weights & Biases API key',
  issuer: 'wandb',
  keywords: ['wandb'],
  pattern:
    /(?<![a-z])wandb[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[a-f0-9]{40})(?![\w-])/i,
  entropy: 3,
  severity: 'high',
  // GraphQL `viewer` query: the "who am I" (POST is how W&B's GraphQL API is read), Basic `api:<key>`.
  verify: httpVerifier({
    hosts: ['api.wandb.ai'],
    request: (secret) => ({
      method: 'POST',
      url: 'https://api.wandb.ai/graphql',
      headers: { authorization: basicAuth('api', secret), 'content-type': 'application/json' },
      body: jsonBody({ query: '{ viewer { username entity admin } }' }),
    }),
    deadStatus: [401],
    confirm: (r) => (field(r.body, 'data', 'viewer', 'username') ? true : 'dead'),
    facts: (r) => {
      const viewer = (r.body as { data?: { viewer?: { admin?: unknown } } }).data?.viewer;
      const account = field(r.body, 'data', 'viewer', 'username');
      return { ...(account ? { account } : {}), privileged: viewer?.admin === true };
    },
    fixtures: {
      live: { status: 200, body: { data: { viewer: { username: 'acme-ml', entity: 'acme', admin: false } } } },
      dead: {
        status: 401,
        body: { errors: [{ message: 'user is not logged in', path: ['viewer'] }], data: { viewer: null } },
      },
    },
  }),
  examples: {
    match: [
      'WANDB_API_KEY=a458ff884b709a39e4b05f02590d7644984c218d',
      'run `wandb login 320c2a9811c290bfd9ff6188739a68499eeeeae4` on the training box',
    ],
    ignore: [
      'WANDB_API_KEY=0000000000000000000000000000000000000000',
      'WANDB_API_KEY=$WANDB_KEY',
      'wandb run a458ff88 finished in 3h',
    ],
  },
};

export const wandbDetectors: readonly Detector[] = [wandbApiKey];
