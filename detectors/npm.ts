import type { Detector } from '../src/core/detector.ts';
import { hasBase62Crc32 } from '../src/detection/checksums.ts';

/** npm granular access tokens. Classic tokens were revoked by npm on 2025-12-09; the format is the same. */
export const npmAccessToken: Detector = {
  id: 'npm-access-token',
  name: 'npm access token',
  issuer: 'npm',
  keywords: ['npm_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
  validate: (secret) => hasBase62Crc32(secret, 'npm_'),
  severity: 'critical',
  examples: {
    match: [
      '//registry.npmjs.org/:_authToken=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',
      'can you try with NPM_TOKEN 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 and publish again?',
    ],
    ignore: [
      // checksum does not hold
      'npm_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1x3aaaaa',
      'export npm_config_cache=/tmp/npm',
      'NPM_TOKEN=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const npmDetectors: readonly Detector[] = [npmAccessToken];
