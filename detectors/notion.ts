import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** `GET /v1/users/me` returns the integration's bot user and workspace for any valid token. */
const notionUsersMe = httpVerifier({
  hosts: ['api.notion.com'],
  request: (secret) => ({
    url: 'https://api.notion.com/v1/users/me',
    headers: { authorization: secretText`Bearer ${secret}`, 'notion-version': '2022-06-28' },
  }),
  facts: (response) => {
    const workspace = field(response.body, 'bot', 'workspace_name');
    const name = field(response.body, 'name');
    return {
      ...(workspace === undefined ? {} : { account: workspace }),
      ...(name === undefined ? {} : { details: { integration: name } }),
    };
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        object: 'user',
        id: '9a3b5c7d-1e2f-4a6b-8c0d-2e4f6a8b0c1d',
        name: 'Docs sync',
        type: 'bot',
        bot: { owner: { type: 'workspace', workspace: true }, workspace_name: 'Acme' },
      },
    },
    dead: {
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: { object: 'error', status: 401, code: 'unauthorized', message: 'API token is invalid.' },
    },
  },
});

/** Integration tokens since Sept 2024: `ntn_` + 11 digits + 35 alphanumerics. */
export const notionIntegrationToken: Detector = {
  id: 'notion-integration-token',
  name: 'Notion integration token',
  issuer: 'notion',
  keywords: ['ntn_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>ntn_\d{11}[A-Za-z0-9]{35})(?![A-Za-z0-9_])/,
  entropy: 4,
  severity: 'high',
  verify: notionUsersMe,
  examples: {
    match: [
      'NOTION_TOKEN=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',
      'const notion = new Client({ auth: "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" })',
    ],
    ignore: [
      'ntn_12345678901',
      'NOTION_TOKEN=ntn_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'NOTION_TOKEN=ntn_15776506056BQ7FkFiJhKWFSH',
    ],
  },
};

/** Internal integration tokens before Sept 2024: `secret_` + 43 alphanumerics. */
export const notionLegacyToken: Detector = {
  id: 'notion-legacy-integration-token',
  name: 'Notion integration token (legacy secret_)',
  issuer: 'notion',
  keywords: ['secret_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>secret_[A-Za-z0-9]{43})(?![A-Za-z0-9_])/,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret.slice(7)) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'high',
  verify: notionUsersMe,
  examples: {
    match: [
      'NOTION_API_KEY=secret_FBTzJ4fvQTts5OGpQwZkwq21PpPmkgo8EQRsd0A3LDp',
      'notion integration "Docs sync" -> token secret_7652WCWfJbYuTTr44EDXAmH5swaCN4FlziG796Xiptw (please rotate)',
    ],
    ignore: [
      'NOTION_API_KEY=secret_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'client_secret_key_base_for_rails_sessions_do_not_use_in_production',
      'NOTION_API_KEY=secret_FBTzJ4fvQTts5OGpQwZkwq21',
    ],
  },
};

export const notionDetectors: readonly Detector[] = [notionIntegrationToken, notionLegacyToken];
