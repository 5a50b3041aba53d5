import type { Detector } from '../src/core/detector.ts';

/**
 * Alibaba Cloud AccessKey: id `LTAI` + 12–20 base62, secret 30 base62 with no prefix. The id
 * alone is not usable, so the secret must sit nearby. Verification needs an HMAC-signed RPC
 * call (the secret would have to be revealed here to sign it): not attempted.
 */
export const alibabaCloudAccessKey: Detector = {
  id: 'alibaba-cloud-access-key',
  name: 'Alibaba Cloud AccessKey',
  issuer: 'alibaba-cloud',
  keywords: ['LTAI'],
  pattern: /(?<![A-Za-z0-9])(?<secret>LTAI[A-Za-z0-9]{12,20})(?![A-Za-z0-9])/,
  entropy: 3.3,
  companions: [
    {
      name: 'access key secret',
      pattern: /(?<![A-Za-z0-9+/_-])(?<secret>[A-Za-z0-9]{30})(?![A-Za-z0-9+/=_-])/,
      window: 240,
      // 30 hex characters cannot reach 4 bits/char; random base62 of that length is ~4.5.
      entropy: 4,
    },
  ],
  severity: 'critical',
  examples: {
    match: [
      'ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tpCmPrLvzGZC1Eps87g\nALIBABA_CLOUD_ACCESS_KEY_SECRET=8jPgY7mjiUviP0yUbKTOtHUAlJqoyU',
      'oss config: {"accessKeyId": "LTAI5tOnPkytfEFOjtFOsOny", "accessKeySecret": "dCys3djvSudZX6RtHpZdj1InlG6YfZ", "bucket": "media-cn"}',
    ],
    ignore: [
      // the id alone
      'RAM user access key LTAI5tpCmPrLvzGZC1Eps87g was disabled on Monday',
      'ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI5tpCmPrLvzGZC1Eps87g\nALIBABA_CLOUD_ACCESS_KEY_SECRET=${ALIYUN_SECRET}',
      // a hex digest next to the id is not the secret
      'LTAI5tpCmPrLvzGZC1Eps87g checksum 3f2a9c1e7b4d4e0f9a8b6c5d4e3f2a',
    ],
  },
};

export const alibabaCloudDetectors: readonly Detector[] = [alibabaCloudAccessKey];
