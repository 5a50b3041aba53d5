import type { Detector } from '../src/core/detector.ts';

/**
 * ClickHouse Cloud API key secret: `4b1d` + 38 base62. Checking it needs its key id as the
 * Basic-auth user, which is rarely labelled reliably: not verified.
 */
export const clickhouseCloudApiSecret: Detector = {
  id: 'clickhouse-cloud-api-secret',
  name: 'ClickHouse Cloud API key secret',
  issuer: 'clickhouse',
  keywords: ['4b1d'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>4b1d[A-Za-z0-9]{38})(?![A-Za-z0-9_])/,
  validate: (secret) => /[A-Z]/.test(secret) && /[a-z]/.test(secret.slice(4)) && /[0-9]/.test(secret.slice(4)),
  entropy: 4,
  severity: 'critical',
  examples: {
    match: [
      'CLICKHOUSE_KEY_ID=Fq7wL2pZ9kRt4NbX8vYc\nCLICKHOUSE_KEY_SECRET=4b1dVxbf2EME92JxWtNxcYrzCiZmg8bOpUDWBSI03T',
      'openapi key for the billing export: 4b1dHPOtZ5OVEEg3MuKyPEQIGRfMy9jvi3UBYOXLDN',
    ],
    ignore: [
      'key = 4b1dXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      // not at the start of a token
      'key = adf4b1dbRdW3rOcB7xLthrM4BTBGK1qPLkHigpN1bXD6z',
      'commit 4b1d9f2c1e7b4d4e0f9a8b6c5d4e3f2a1b9c8d7e6f',
    ],
  },
};

export const clickhouseDetectors: readonly Detector[] = [clickhouseCloudApiSecret];
