import type { Detector } from '../src/core/detector.ts';

/**
 * Webhooks service keys: 22 base64url characters in
 * `maker.ifttt.com/trigger/<event>/with/key/<key>` (or `/use/<key>`). The key
 * fires any applet event of the account. No liveness check: a probe fires it.
 */
export const iftttWebhookKey: Detector = {
  id: 'ifttt-webhook-key',
  name: 'IFTTT Webhooks key',
  issuer: 'ifttt',
  keywords: ['maker.ifttt.com/'],
  pattern:
    /\bmaker\.ifttt\.com\/(?:trigger\/[\w.-]{1,64}\/(?:json\/)?with\/key|use)\/(?<secret>[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.5,
  severity: 'medium',
  examples: {
    match: [
      'curl -X POST https://maker.ifttt.com/trigger/door_opened/with/key/SHtPK8PsIvjKyEumP3hr2y',
      'IFTTT_URL=https://maker.ifttt.com/trigger/backup_failed/json/with/key/tMV79ukFrTxhdUEGItk-cB',
    ],
    ignore: [
      'https://maker.ifttt.com/trigger/{event}/with/key/{your_key}',
      'https://maker.ifttt.com/trigger/door_opened/with/key/xxxxxxxxxxxxxxxxxxxxxx',
      'https://maker.ifttt.com/use/SHtPK8PsIvjKyEum',
    ],
  },
};

export const iftttDetectors: readonly Detector[] = [iftttWebhookKey];
