import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Linode (Akamai Connected Cloud) personal access tokens: 64 hex, only recognisable next to a keyword. */
export const linodePersonalAccessToken: Detector = {
  id: 'linode-personal-access-token',
  name: 'Linode personal access token',
  issuer: 'linode',
  keywords: ['linode'],
  pattern: new RegExp(
    `linode(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|access|cli|personal|v4|admin)[_.\\s-]{0,2}){0,2}(?:token|key|pat)s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?(?<secret>[0-9a-f]{64})(?![\\w-])`,
    'i',
  ),
  entropy: 3.5,
  severity: 'critical',
  // `GET /v4/profile`: the documented "who am I" call.
  verify: httpVerifier({
    hosts: ['api.linode.com'],
    request: (secret) => ({
      url: 'https://api.linode.com/v4/profile',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    confirm: (response) => field(response.body, 'username') !== undefined,
    facts: (response) => {
      const account = field(response.body, 'username');
      const restricted = (response.body as { restricted?: unknown }).restricted;
      return { ...(account ? { account } : {}), ...(restricted === false ? { privileged: true } : {}) };
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          uid: 918273,
          username: 'infra-automation',
          email: 'infra@northwind.io',
          restricted: false,
          two_factor_auth: true,
        },
      },
      dead: { status: 401, body: { errors: [{ reason: 'Invalid Token' }] } },
    },
  }),
  examples: {
    match: [
      'LINODE_TOKEN=1db577f1f2ce0aed11722f5fbfc50a3a9da619bc51b0df46e50bce8320449a40',
      'terraform.tfvars:\nlinode_token = "93dcdd1375f397ac1fb76027893175624c84876106b8ee2a8dba946e6689aded"\nregion = "eu-central"',
    ],
    ignore: [
      'LINODE_TOKEN=${LINODE_TOKEN}',
      'linode image sha256 93dcdd1375f397ac1fb76027893175624c84876106b8ee2a8dba946e6689aded',
      'LINODE_TOKEN=0000000000000000000000000000000000000000000000000000000000000000',
    ],
  },
};

export const linodeDetectors: readonly Detector[] = [linodePersonalAccessToken];
