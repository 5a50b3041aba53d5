import type { Detector } from '../src/core/detector.ts';
import type { Verifier } from '../src/core/verification.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** `GET /v1/models`: free, read-only. */
const modelsVerifier: Verifier = httpVerifier({
  hosts: ['api.together.xyz'],
  request: (secret) => ({
    url: 'https://api.together.xyz/v1/models',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [401],
  fixtures: {
    live: {
      status: 200,
      body: [{ id: 'meta-llama/Llama-3.3-70B-Instruct-Turbo', object: 'model', type: 'chat', organization: 'Meta' }],
    },
    dead: {
      status: 401,
      body: {
        error: {
          message: 'Invalid API key provided.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
    },
  },
});

/** Current Together AI keys: `tgp_v1_` + 43. */
export const togetherApiKey: Detector = {
  id: 'together-api-key',
  name: 'Together AI API key',
  issuer: 'together',
  keywords: ['tgp_v1_'],
  pattern: /(?<![\w-])(?<secret>tgp_v1_[A-Za-z0-9_-]{43})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  verify: modelsVerifier,
  examples: {
    match: [
      'TOGETHER_API_KEY=tgp_v1_spYGqD1OAF2a8JpGYopEdmLbS0KN52ewXl0KhrU8om8',
      'client = Together(api_key="tgp_v1_O2iXl4mhPwO4ZtqlaNg394dwXsWuyQdf1QHIJV-LgeS")',
    ],
    ignore: [
      'TOGETHER_API_KEY=tgp_v1_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'keys now start with tgp_v1_',
      'tgp_v1_spYGqD1OAF2a8JpGYopEdmLbS0',
    ],
  },
};

/** Legacy Together AI keys: 64 hex, prefix-less, so the word Together must be nearby. */
export const togetherLegacyApiKey: Detector = {
  id: 'together-legacy-api-key',
  name: 'Together AI legacy API key',
  issuer: 'together',
  keywords: ['together'],
  pattern:
    /(?<![a-z])together[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[a-f0-9]{64})(?![\w-])/i,
  entropy: 3.2,
  severity: 'high',
  verify: modelsVerifier,
  examples: {
    match: [
      'TOGETHER_API_KEY=2191979686811d720c7fbfcef54b1ac4d6f2ba80b23360321e8ce3a6a9918b19',
      'together key: 8ae80ccc94cd1ae3fde6f493b19e053eeb0c79945be414fe78a14d816bcf6501',
    ],
    ignore: [
      'TOGETHER_API_KEY=0000000000000000000000000000000000000000000000000000000000000000',
      // a sha256 far from any Together context
      'sha256: 2191979686811d720c7fbfcef54b1ac4d6f2ba80b23360321e8ce3a6a9918b19',
      'we worked together on 2191979686811d720c7fbfcef54b1ac4',
    ],
  },
};

export const togetherDetectors: readonly Detector[] = [togetherApiKey, togetherLegacyApiKey];
