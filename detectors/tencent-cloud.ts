import type { Detector } from '../src/core/detector.ts';

/**
 * Tencent Cloud API key: SecretId `AKID` + 32 base62, SecretKey 32 base62 with no prefix.
 * Verification needs a TC3-HMAC-SHA256 signature (revealing the key here): not attempted.
 */
export const tencentCloudSecretKey: Detector = {
  id: 'tencent-cloud-secret-key',
  name: 'Tencent Cloud SecretId + SecretKey',
  issuer: 'tencent-cloud',
  keywords: ['AKID'],
  pattern: /(?<![A-Za-z0-9])(?<secret>AKID[A-Za-z0-9]{32})(?![A-Za-z0-9])/,
  entropy: 3.5,
  companions: [
    {
      name: 'secret key',
      pattern: /(?<![A-Za-z0-9+/_-])(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9+/=_-])/,
      window: 240,
      // 32 hex characters (an MD5) stay below 4 bits/char.
      entropy: 4.1,
    },
  ],
  severity: 'critical',
  examples: {
    match: [
      'TENCENTCLOUD_SECRET_ID=AKIDt4zb5C5lLUgtlhm0BPcZ0oMMjW1NIjtK\nTENCENTCLOUD_SECRET_KEY=Yibf3kAEnGZ99KrNTnXlVVAfmhAapqwQ',
      'cos client: SecretId AKIDM4SnuzBeoYZcCqM6rgUX61vqZanWzatP, SecretKey 2UNdo5Zbz5w66Wlc9kgZbCEWg2FKmHD8',
    ],
    ignore: [
      'CAM key AKIDt4zb5C5lLUgtlhm0BPcZ0oMMjW1NIjtK belongs to the deploy user',
      'TENCENTCLOUD_SECRET_ID=AKIDt4zb5C5lLUgtlhm0BPcZ0oMMjW1NIjtK md5=164c38c8871545d23726ca3e22ba40f0',
      'TENCENTCLOUD_SECRET_ID=AKIDxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nTENCENTCLOUD_SECRET_KEY=Yibf3kAEnGZ99KrNTnXlVVAfmhAapqwQ',
    ],
  },
};

export const tencentCloudDetectors: readonly Detector[] = [tencentCloudSecretKey];
