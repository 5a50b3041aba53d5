import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Fireworks AI API keys: `fw_` + 24 or more alphanumerics. */
export const fireworksApiKey: Detector = {
  id: 'fireworks-api-key',
  name: 'Fireworks AI API key',
  issuer: 'fireworks',
  keywords: ['fw_'],
  pattern: /(?<![\w-])(?<secret>fw_[A-Za-z0-9]{24,40})(?![\w-])/,
  // Identifiers such as `fw_firmwareVersionNumber` are letters only; keys mix in digits.
  validate: (secret) => /\d/.test(secret.slice(3)) && /[a-z]/.test(secret.slice(3)) && /[A-Z]/.test(secret.slice(3)),
  entropy: 3.8,
  severity: 'high',
  // `GET /inference/v1/models`: free, read-only.
  verify: httpVerifier({
    hosts: ['api.fireworks.ai'],
    request: (secret) => ({
      url: 'https://api.fireworks.ai/inference/v1/models',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    fixtures: {
      live: {
        status: 200,
        body: {
          object: 'list',
          data: [{ id: 'accounts/fireworks/models/llama-v3p1-8b-instruct', object: 'model', owned_by: 'fireworks' }],
        },
      },
      dead: {
        status: 401,
        body: {
          error: { object: 'error', type: 'invalid_request_error', message: 'The API key you provided is invalid.' },
        },
      },
    },
  }),
  examples: {
    match: [
      'FIREWORKS_API_KEY=fw_1xyKNoSGArQzATjA9FWTf1DJ',
      'base_url https://api.fireworks.ai/inference/v1 with key fw_n3q2ZYOI1WAFx0Qv2O104ojU',
    ],
    ignore: [
      'FIREWORKS_API_KEY=fw_xxxxxxxxxxxxxxxxxxxxxxxx',
      'const fw_firmwareVersionNumberString = readVersion();',
      'fw_1xyKNoSGArQzATjA9FW',
    ],
  },
};

export const fireworksDetectors: readonly Detector[] = [fireworksApiKey];
