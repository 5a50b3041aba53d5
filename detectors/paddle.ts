import type { Detector } from '../src/core/detector.ts';

/**
 * Paddle Billing live API keys (May 2025 format):
 * `pdl_live_apikey_` + 26-char ULID + `_` + 22 + `_` + 3 (69 characters).
 * Sandbox keys (`pdl_sdbx_apikey_`) touch no real money.
 */
export const paddleApiKey: Detector = {
  id: 'paddle-api-key',
  name: 'Paddle live API key',
  issuer: 'paddle',
  keywords: ['pdl_live_apikey_'],
  pattern: /(?<![\w-])(?<secret>pdl_live_apikey_[a-z0-9]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3})(?![\w-])/,
  entropy: 3.5,
  severity: 'high',
  examples: {
    match: [
      'PADDLE_API_KEY=pdl_live_apikey_qgw1idvk1vw6pyhlr873anamdu_mXfIau8VfIlK7nsSHQVm18_ruD',
      'billing sync fails with 403, key is pdl_live_apikey_4c4hon1rybv238lbb6s9z72xv5_Bu1W0RjHy08gNwnvRCY09V_0Dj — wrong permissions?',
    ],
    ignore: [
      'PADDLE_API_KEY=pdl_sdbx_apikey_qgw1idvk1vw6pyhlr873anamdu_mXfIau8VfIlK7nsSHQVm18_ruD',
      'if (apiKey.startsWith("pdl_live_apikey_")) { environment = "production"; }',
      'PADDLE_API_KEY=pdl_live_apikey_xxxxxxx...',
    ],
  },
};

export const paddleDetectors: readonly Detector[] = [paddleApiKey];
