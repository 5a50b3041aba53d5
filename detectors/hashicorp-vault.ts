import type { Detector } from '../src/core/detector.ts';
import type { VerifyContext } from '../src/core/verification.ts';
import { charClasses } from '../src/detection/entropy.ts';
import { field, httpRevoker, httpVerifier } from '../src/verification/http-verifier.ts';

const JSON_HEADERS = { 'content-type': 'application/json' } as const;
const PERMISSION_DENIED = { status: 403, headers: JSON_HEADERS, body: { errors: ['permission denied'] } };

/** The configured Vault server (self-hosted only), without a trailing slash. */
function vaultUrl(ctx: Pick<VerifyContext, 'baseUrls'>, path: string): string {
  return `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}${path}`;
}

/**
 * `GET {vault}/v1/auth/token/lookup-self` with `X-Vault-Token`
 * (developer.hashicorp.com/vault/api-docs/auth/token#lookup-a-token-self, tokens.md #21):
 * read-only, but written to Vault's audit log. Only against configured
 * servers. 403 `permission denied` is dead (a token without the default
 * policy also gets it, a rare setup). `data.id` echoes the token: never read.
 */
const vaultLookupSelf = httpVerifier({
  hosts: [],
  selfHosted: true,
  request: (secret, ctx) => ({
    url: vaultUrl(ctx, '/v1/auth/token/lookup-self'),
    headers: { 'x-vault-token': secret },
  }),
  deadStatus: [403],
  confirm: (response) => {
    const data = (response.body as { data?: unknown } | null)?.data;
    return typeof data === 'object' && data !== null;
  },
  facts: (response) => {
    const data = (response.body as { data?: { policies?: unknown } } | null)?.data;
    const policies = Array.isArray(data?.policies)
      ? data.policies.filter((p): p is string => typeof p === 'string')
      : [];
    const account = field(data, 'display_name');
    const expiresAt = field(data, 'expire_time');
    const details = Object.fromEntries(
      (['type', 'accessor', 'ttl'] as const).flatMap((key) => {
        const value = field(data, key);
        return value === undefined ? [] : [[key, value]];
      }),
    );
    return {
      ...(account !== undefined ? { account } : {}),
      scopes: policies,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      ...(policies.includes('root') ? { privileged: true } : {}),
      details,
    };
  },
  fixtures: {
    live: {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        request_id: '5e3c2a1b-8f4d-4c6e-9a7b-2d1f0e9c8b7a',
        lease_id: '',
        renewable: false,
        lease_duration: 0,
        data: {
          accessor: 'hmWcJXCfMoJ8nTLsOgkW3Cw1',
          creation_time: 1781600000,
          creation_ttl: 2764800,
          display_name: 'approle-deploy',
          entity_id: '7d2e3e66-a2ae-4b3f-9c53-7f3c6a8e0d41',
          expire_time: '2026-07-18T09:33:20.000000000Z',
          explicit_max_ttl: 0,
          meta: { role_name: 'deploy' },
          num_uses: 0,
          orphan: true,
          path: 'auth/approle/login',
          policies: ['default', 'deploy-prod'],
          renewable: true,
          ttl: 2764790,
          type: 'service',
        },
        wrap_info: null,
        warnings: null,
        auth: null,
      },
    },
    dead: PERMISSION_DENIED,
  },
});

/**
 * `POST {vault}/v1/auth/token/revoke-self`
 * (developer.hashicorp.com/vault/api-docs/auth/token#revoke-a-token-self, tokens.md #21):
 * revokes the token and its children, 204. Batch tokens cannot be revoked.
 * 403 stays a failure: it does not tell an invalid token from a missing policy.
 */
const vaultRevokeSelf = httpRevoker({
  hosts: [],
  selfHosted: true,
  request: (secret, ctx) => ({
    method: 'POST',
    url: vaultUrl(ctx, '/v1/auth/token/revoke-self'),
    headers: { 'x-vault-token': secret },
  }),
  revokedStatus: [204],
  invalidStatus: [],
  fixtures: { revoked: { status: 204 }, failed: PERMISSION_DENIED },
});

export const vaultServiceToken: Detector = {
  id: 'hashicorp-vault-service-token',
  name: 'HashiCorp Vault service token',
  issuer: 'hashicorp-vault',
  keywords: ['hvs.'],
  // 24 base62 chars when server-side consistent tokens are disabled, ~95+ otherwise.
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>hvs\.[\w-]{24,250})(?![\w-])/,
  window: { after: 300 },
  entropy: 3.5,
  severity: 'critical',
  verify: vaultLookupSelf,
  revoke: vaultRevokeSelf,
  examples: {
    match: [
      'export VAULT_TOKEN=hvs.CAESIbhCgKvWwWEhHnv8FnDnhink0S0HP2IQD9tR7c712zKGsC9uzT8Eg5E1eq25P0QVyOqAJDvqsbqb_yqnM1TkpQ2',
      'vault login hvs.pQMLauvUkC1w1FNcYFuSdnTq',
    ],
    ignore: [
      'export VAULT_TOKEN=hvs.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'export VAULT_TOKEN=hvs.CAESIJ...',
      'export VAULT_TOKEN=hvs.pQMLauvUkC1w1FNc',
    ],
  },
};

export const vaultBatchToken: Detector = {
  id: 'hashicorp-vault-batch-token',
  name: 'HashiCorp Vault batch token',
  issuer: 'hashicorp-vault',
  keywords: ['hvb.'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>hvb\.[\w-]{138,400})(?![\w-])/,
  window: { after: 450 },
  entropy: 4,
  // Short-lived and not renewable, but carries the full policy set until it expires.
  severity: 'critical',
  verify: vaultLookupSelf,
  examples: {
    match: [
      'VAULT_TOKEN=hvb.AAAAAQfU4yFsewu-5PkNdXsET1rrfu7E_nHDvpuwlLJf5gehqTas9M4sbu5xxW_FwBhK7-REroyfIKtIrCsnj-0En1UoY2ktG3fiOkyGgujS1UUHR3n4OPjdOTvJ47wCa5BjL6TN9UZT-2TB4K64sk14p8k4',
      'the lambda logged X-Vault-Token: hvb.AAAAAQfU4yFsewu-5PkNdXsET1rrfu7E_nHDvpuwlLJf5gehqTas9M4sbu5xxW_FwBhK7-REroyfIKtIrCsnj-0En1UoY2ktG3fiOkyGgujS1UUHR3n4OPjdOTvJ47wCa5BjL6TN9UZT-2TB4K64sk14p8k4',
    ],
    ignore: [
      'VAULT_TOKEN=hvb.AAAAAQ...',
      'VAULT_TOKEN=hvb.AAAAAQfU4yFsewu-5PkNdXsET1rrfu7E_nHDvpuwlLJf5gehqTas9M4sbu5xxW_FwBhK7-REroyfIKtIrCsnj-0En1UoY2kt',
      'VAULT_TOKEN=hvb.${BATCH_TOKEN}',
    ],
  },
};

export const vaultRecoveryToken: Detector = {
  id: 'hashicorp-vault-recovery-token',
  name: 'HashiCorp Vault recovery token',
  issuer: 'hashicorp-vault',
  keywords: ['hvr.'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>hvr\.[A-Za-z0-9]{24})(?![\w-])/,
  entropy: 3.5,
  severity: 'critical',
  // No liveness check: recovery tokens only work on `sys/raw` while Vault runs in
  // recovery mode; anywhere else they are refused, which would read as dead.
  examples: {
    match: [
      'recovery mode token: hvr.CluVFoGUUIOJmLjH6NCt4RKC',
      'VAULT_TOKEN=hvr.CluVFoGUUIOJmLjH6NCt4RKC vault read sys/raw/core/mounts',
    ],
    ignore: [
      'VAULT_TOKEN=hvr.xxxxxxxxxxxxxxxxxxxxxxxx',
      'VAULT_TOKEN=hvr.CluVFoGUUIOJmLjH',
      'VAULT_TOKEN=hvr.CluVFoGUUIOJmLjH6NCt4RKCQ',
    ],
  },
};

/**
 * Pre-1.10 service tokens (`s.` + 24) look like ordinary identifiers
 * (`s.AcceptanceTimeoutSeconds`), so they need a Vault word before them and a
 * random mix of upper case, lower case and digits.
 */
export const vaultLegacyToken: Detector = {
  id: 'hashicorp-vault-legacy-token',
  name: 'HashiCorp Vault service token (legacy)',
  issuer: 'hashicorp-vault',
  keywords: ['vault'],
  pattern: /vault(?:[_ .-]?token| login)?[\s"'`:=]{1,4}(?<secret>s\.[A-Za-z0-9]{24})(?![\w-])/i,
  validate: (secret) => {
    const { lower, upper, digit } = charClasses(secret.slice(2));
    return /^s\./.test(secret) && lower > 0 && upper > 0 && digit > 0;
  },
  entropy: 3.5,
  severity: 'critical',
  verify: vaultLookupSelf,
  revoke: vaultRevokeSelf,
  examples: {
    match: [
      'VAULT_TOKEN=s.jQtwX21MXRNJz0kZXgT06FgP',
      'staging vault token: s.jQtwX21MXRNJz0kZXgT06FgP (please rotate)',
    ],
    ignore: [
      'vault: s.AcceptanceTimeoutSeconds = 30',
      // no Vault context
      'token: s.jQtwX21MXRNJz0kZXgT06FgP',
      'VAULT_TOKEN=s.xxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const hashicorpVaultDetectors: readonly Detector[] = [
  vaultServiceToken,
  vaultBatchToken,
  vaultRecoveryToken,
  vaultLegacyToken,
];
