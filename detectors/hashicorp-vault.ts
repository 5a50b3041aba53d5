import type { Detector } from '../src/core/detector.ts';
import { charClasses } from '../src/detection/entropy.ts';

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
  pattern: /vault[\w .-]{0,24}[\s"'`:=]{1,6}(?<secret>s\.[A-Za-z0-9]{24})(?![\w-])/i,
  validate: (secret) => {
    const { lower, upper, digit } = charClasses(secret.slice(2));
    return /^s\./.test(secret) && lower > 0 && upper > 0 && digit > 0;
  },
  entropy: 3.5,
  severity: 'critical',
  examples: {
    match: [
      'VAULT_TOKEN=s.jQtwX21MXRNJz0kZXgT06FgP',
      'vault token for staging: s.jQtwX21MXRNJz0kZXgT06FgP (please rotate)',
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
