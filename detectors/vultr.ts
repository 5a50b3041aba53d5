import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Vultr API keys: 36 uppercase alphanumerics, only recognisable next to `vultr`. */
export const vultrApiKey: Detector = {
  id: 'vultr-api-key',
  name: 'Vultr API key',
  issuer: 'vultr',
  keywords: ['vultr'],
  pattern: new RegExp(
    `vultr(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|access|personal)[_.\\s-]{0,2}){0,2}(?:token|key)s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?(?<secret>[A-Z0-9]{36})(?![\\w-])`,
    'i',
  ),
  // The `i` flag also admits lowercase; real keys are uppercase with digits.
  validate: (secret) => /^[A-Z0-9]{36}$/.test(secret) && /[0-9]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.8,
  severity: 'critical',
  // `GET /v2/account`: the documented "account info" call.
  verify: httpVerifier({
    hosts: ['api.vultr.com'],
    request: (secret) => ({
      url: 'https://api.vultr.com/v2/account',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401, 403],
    confirm: (response) => field(response.body, 'account', 'email') !== undefined,
    facts: (response) => {
      const account = field(response.body, 'account', 'email');
      const acls = (response.body as { account?: { acls?: unknown } }).account?.acls;
      const scopes = Array.isArray(acls) ? acls.filter((a): a is string => typeof a === 'string') : [];
      return { ...(account ? { account } : {}), scopes, privileged: scopes.includes('manage_users') };
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          account: {
            name: 'Northwind Ops',
            email: 'ops@northwind.io',
            acls: ['manage_users', 'subscriptions', 'billing', 'provisioning'],
            balance: -12.5,
            pending_charges: 3.41,
          },
        },
      },
      dead: { status: 401, body: { error: 'Invalid API token.', status: 401 } },
    },
  }),
  examples: {
    match: [
      'VULTR_API_KEY=MUOOQZ7BL39CLM9ZTCBFA2VQIFZQ3YUIBJ9E',
      'vultr-cli uses the vultr api key UICK7A4H43TMFYGON5JHZUFW0F1IR1QNZH4N from ~/.vultr-cli.yaml',
    ],
    ignore: [
      'VULTR_API_KEY=${VULTR_API_KEY}',
      'VULTR_API_KEY=muooqz7bl39clm9ztcbfa2vqifzq3yuibj9e',
      'vultr instance id: cb676a46-66fd-4dfb-b839-443f2e6c0b60',
    ],
  },
};

export const vultrDetectors: readonly Detector[] = [vultrApiKey];
