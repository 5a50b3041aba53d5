import type { Detector } from '../src/core/detector.ts';

/**
 * Channels app secrets: 20 hex next to a Pusher name. They sign server API
 * calls (trigger events on any channel) and authorise private/presence
 * channels. No liveness check: every request must be HMAC-signed with the
 * secret itself.
 */
export const pusherAppSecret: Detector = {
  id: 'pusher-app-secret',
  name: 'Pusher Channels app secret',
  issuer: 'pusher',
  keywords: ['pusher'],
  pattern: /\bpusher[\w. -]{0,20}?secret[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{20})(?![0-9A-Za-z])/i,
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'PUSHER_APP_ID=1734221\nPUSHER_APP_KEY=9c1f0d8e7b6a5c4d3e2f\nPUSHER_APP_SECRET=88e8b9643daa05fc8e79',
      'config/broadcasting.php: pusher_secret: "a1df8ac1afb309cec36c"',
    ],
    ignore: [
      'PUSHER_APP_SECRET=<app secret>',
      'PUSHER_APP_SECRET=00000000000000000000',
      // 40 hex: a commit, not a secret
      'pusher secret rotation in 6301ca252628752bb475629d14122613e33d469e',
    ],
  },
};

export const pusherDetectors: readonly Detector[] = [pusherAppSecret];
