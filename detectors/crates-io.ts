import type { Detector } from '../src/core/detector.ts';

/**
 * crates.io API tokens: `cio` + 32 alphanumerics. crates.io limits which
 * endpoints accept API tokens (publish, yank, owners), so no safe read-only check.
 */
export const cratesIoApiToken: Detector = {
  id: 'crates-io-api-token',
  name: 'crates.io API token',
  issuer: 'crates-io',
  keywords: ['cio'],
  pattern: /(?<![\w-])(?<secret>cio[A-Za-z0-9]{32})(?![\w-])/,
  validate: (secret) => /\d/.test(secret.slice(3)) && /[a-z]/.test(secret.slice(3)) && /[A-Z]/.test(secret.slice(3)),
  entropy: 3.8,
  severity: 'critical',
  examples: {
    match: [
      'CARGO_REGISTRY_TOKEN=ciodECEHfjSjNfxwdIuaCexMaQGT9OpB6IZ',
      '[registry]\ntoken = "ciovWXQCi1DH3D6A490fkvYOlD8OE6tlc0E"',
    ],
    ignore: [
      'CARGO_REGISTRY_TOKEN=cioXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      // an ordinary word that starts with cio
      'the ciociaria region exports cheese',
      'ciodECEHfjSjNfxwdIuaCexMaQG',
    ],
  },
};

export const cratesIoDetectors: readonly Detector[] = [cratesIoApiToken];
