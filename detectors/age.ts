import type { Detector } from '../src/core/detector.ts';

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
const GENERATORS = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];

/**
 * True when `value` is a valid Bech32 string (BIP-173 checksum, constant 1), case-insensitive.
 *
 * @example isBech32('AGE-SECRET-KEY-1…') // true for a well-formed age identity
 */
export function isBech32(value: string): boolean {
  const lower = value.toLowerCase();
  const sep = lower.lastIndexOf('1');
  if (sep < 1 || sep + 7 > lower.length) return false;
  const hrp = lower.slice(0, sep);
  const values: number[] = [];
  for (const c of hrp) values.push(c.charCodeAt(0) >> 5);
  values.push(0);
  for (const c of hrp) values.push(c.charCodeAt(0) & 31);
  for (const c of lower.slice(sep + 1)) {
    const v = BECH32.indexOf(c);
    if (v < 0) return false;
    values.push(v);
  }
  let chk = 1;
  for (const v of values) {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GENERATORS[i]!;
  }
  return chk >>> 0 === 1;
}

/** age (filippo.io/age) X25519 identity: Bech32 with HRP `age-secret-key-`, written in uppercase. */
export const ageSecretKey: Detector = {
  id: 'age-secret-key',
  name: 'age encryption secret key',
  issuer: 'age',
  keywords: ['AGE-SECRET-KEY-1'],
  pattern: /(?<![A-Za-z0-9-])(?<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})(?![A-Za-z0-9])/,
  validate: (secret) => isBech32(secret),
  severity: 'high',
  examples: {
    match: [
      '# created: 2025-06-02T10:14:55+02:00\n# public key: age1q8f3s0xw6ygrxgs3mh0f9m2l7lsfq4d0ck4ke6yv9v2c2qz3v4usq2ayzx\nAGE-SECRET-KEY-19LQTARPKMR8Y2XAX3M75S075PLGZHKSFJXYHTKPECCWARJKHXKQQ8KL824',
      'SOPS_AGE_KEY=AGE-SECRET-KEY-1MXDAUXW5T2WX4JN89MVQ863T0ET59V2FH4VGM3QNFSXRR9YTR84SCWUWE4 (the prod one, please keep it in 1Password)',
    ],
    ignore: [
      // Bech32 checksum broken (last character changed)
      'SOPS_AGE_KEY=AGE-SECRET-KEY-1MXDAUXW5T2WX4JN89MVQ863T0ET59V2FH4VGM3QNFSXRR9YTR84SCWUWEQ',
      'SOPS_AGE_KEY=AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ',
      // public recipients are not secret
      'recipients: age1q8f3s0xw6ygrxgs3mh0f9m2l7lsfq4d0ck4ke6yv9v2c2qz3v4usq2ayzx',
    ],
  },
};

export const ageDetectors: readonly Detector[] = [ageSecretKey];
