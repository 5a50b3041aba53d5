import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

interface XaiKeyInfo {
  acls?: unknown;
  api_key_blocked?: unknown;
  api_key_disabled?: unknown;
  team_blocked?: unknown;
}

/** xAI (Grok) API keys: `xai-` + 80 alphanumerics. */
export const xaiApiKey: Detector = {
  id: 'xai-api-key',
  name: 'xAI API key',
  issuer: 'xai',
  keywords: ['xai-'],
  pattern: /(?<![\w-])(?<secret>xai-[A-Za-z0-9]{80})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  // `GET /v1/api-key` describes the calling key (never the billable completions API).
  verify: httpVerifier({
    hosts: ['api.x.ai'],
    request: (secret) => ({
      url: 'https://api.x.ai/v1/api-key',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    // xAI answers 400 "Incorrect API key provided" for unknown keys.
    deadStatus: [400, 401, 403],
    confirm: (r) => {
      const info = r.body as XaiKeyInfo | null;
      if (info === null || typeof info !== 'object') return false;
      return info.api_key_blocked === true || info.api_key_disabled === true || info.team_blocked === true
        ? 'dead'
        : true;
    },
    facts: (r) => {
      const acls = (r.body as XaiKeyInfo).acls;
      const scopes = Array.isArray(acls) ? acls.filter((a): a is string => typeof a === 'string') : [];
      const name = field(r.body, 'name');
      return {
        scopes,
        ...(field(r.body, 'team_id') ? { account: field(r.body, 'team_id') } : {}),
        ...(name ? { details: { name } } : {}),
      };
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          redacted_api_key: 'xai-...W3a6',
          user_id: '5b1a0c1e-7d0f-4a55-9a43-1f7e2d9c8b61',
          name: 'support-bot',
          create_time: '2025-03-02T10:11:12.000Z',
          team_id: '0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f',
          acls: ['api-key:model:*', 'api-key:endpoint:*'],
          api_key_id: '9f8e7d6c-5b4a-4392-8170-6e5d4c3b2a19',
          team_blocked: false,
          api_key_blocked: false,
          api_key_disabled: false,
        },
      },
      dead: {
        status: 400,
        body: {
          code: 'Client specified an invalid argument',
          error: 'Incorrect API key provided: xa***a6. You can obtain an API key from https://console.x.ai.',
        },
      },
    },
  }),
  examples: {
    match: [
      'XAI_API_KEY=xai-DJ7HiEFdfhJeW6B7E5UQm18Ly4iJuL75CAJDIicbQLsWv801e3xLvdSfUJEvbyuj1U77Ls3X9hijW3a6',
      'grok client = OpenAI(api_key="xai-2GcTwFuWouw7FWLiu4zJlitlRLLch2t5gN8mGA6HlsvkAFQc6fJDnNKBCPQBCucEBAhsNomCMMaMwnEX", base_url="https://api.x.ai/v1")',
    ],
    ignore: [
      'XAI_API_KEY=xai-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'keys look like xai-… and are shown once in the console',
      'xai-DJ7HiEFdfhJeW6B7E5UQm18Ly4iJuL75CAJDIicbQLsWv801e3xLvdSfUJEv',
    ],
  },
};

export const xaiDetectors: readonly Detector[] = [xaiApiKey];
