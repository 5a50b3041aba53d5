import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Cerebras Cloud API keys: `csk-` + 48 lowercase alphanumerics. */
export const cerebrasApiKey: Detector = {
  id: 'cerebras-api-key',
  name: 'Cerebras API key',
  issuer: 'cerebras',
  keywords: ['csk-'],
  pattern: /(?<![\w-])(?<secret>csk-[a-z0-9]{48})(?![\w-])/,
  validate: (secret) => /\d/.test(secret.slice(4)) && /[a-z]/.test(secret.slice(4)),
  entropy: 3.8,
  severity: 'high',
  // `GET /v1/models`: free, read-only.
  verify: httpVerifier({
    hosts: ['api.cerebras.ai'],
    request: (secret) => ({
      url: 'https://api.cerebras.ai/v1/models',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    fixtures: {
      live: {
        status: 200,
        body: { object: 'list', data: [{ id: 'llama-3.3-70b', object: 'model', created: 0, owned_by: 'Meta' }] },
      },
      dead: {
        status: 401,
        body: { message: 'Wrong API Key', type: 'invalid_request_error', param: 'api_key', code: 'wrong_api_key' },
      },
    },
  }),
  examples: {
    match: [
      'CEREBRAS_API_KEY=csk-eo6g6lo4lhbxt01kyi8ngsac9vgx17ynckfn30sk8rwo0jht',
      'the eval harness hardcodes csk-g1ui6dxdhhx07aky83ijsf9mua8hrkgtd08w5nbqpfrycjn9, please pull it from the env',
    ],
    ignore: [
      'CEREBRAS_API_KEY=csk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'CEREBRAS_API_KEY=csk-...',
      'csk-eo6g6lo4lhbxt01kyi8ngsac9vgx17ynckfn',
    ],
  },
};

export const cerebrasDetectors: readonly Detector[] = [cerebrasApiKey];
