import { describe, expect, it } from 'vitest';
import { vaultLegacyToken } from './hashicorp-vault.ts';

describe('hashicorp-vault-legacy-token', () => {
  it('wants a random mix of upper case, lower case and digits', () => {
    expect(vaultLegacyToken.validate?.('s.jQtwX21MXRNJz0kZXgT06FgP', {})).toBe(true);
    expect(vaultLegacyToken.validate?.('s.AcceptanceTimeoutSeconds', {})).toBe(false);
    expect(vaultLegacyToken.validate?.('s.thisstringisalllowercase', {})).toBe(false);
  });

  it('needs a Vault word first', () => {
    expect(vaultLegacyToken.pattern.exec('VAULT_TOKEN=s.jQtwX21MXRNJz0kZXgT06FgP')?.groups?.secret).toBe(
      's.jQtwX21MXRNJz0kZXgT06FgP',
    );
    expect(vaultLegacyToken.pattern.exec('token=s.jQtwX21MXRNJz0kZXgT06FgP')).toBeNull();
  });
});
