import type { Detector } from '../src/core/detector.ts';
import { charClasses } from '../src/detection/entropy.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** base64("OpenAI"): every OpenAI key format embeds it between two random halves. */
const OPENAI_MARKER = 'T3BlbkFJ';

/** Exactly one marker, with random text (at least two of lower/upper/digit) on both sides of it. */
function hasOpenaiStructure(secret: string): boolean {
  const at = secret.indexOf(OPENAI_MARKER);
  if (at < 0 || secret.indexOf(OPENAI_MARKER, at + 1) >= 0) return false;
  const before = secret.slice(0, at).replace(/^sk-(?:proj-|svcacct-|None-|admin-)?/, '');
  const after = secret.slice(at + OPENAI_MARKER.length);
  return [before, after].every((half) => {
    const c = charClasses(half);
    return (c.lower > 0 ? 1 : 0) + (c.upper > 0 ? 1 : 0) + (c.digit > 0 ? 1 : 0) >= 2;
  });
}

const OPENAI_INVALID_KEY = {
  status: 401,
  headers: { 'content-type': 'application/json' },
  body: {
    error: {
      message:
        'Incorrect API key provided: sk-proj-********************************************rsjidUxlY. You can find your API key at https://platform.openai.com/account/api-keys.',
      type: 'invalid_request_error',
      param: null,
      code: 'invalid_api_key',
    },
  },
};

/**
 * `GET https://api.openai.com/v1/models` (platform.openai.com/docs/api-reference/models/list,
 * tokens.md #71): free and read-only. 200 live, 401 dead. A 403 is live only
 * when it is the "Missing scopes" answer of a restricted project key; other
 * 403s (unsupported region, …) stay unknown.
 */
const openaiModels = httpVerifier({
  hosts: ['api.openai.com'],
  request: (secret) => ({
    url: 'https://api.openai.com/v1/models',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  liveStatus: [200, 403],
  deadStatus: [401],
  confirm: (response) =>
    response.status === 200 ||
    /insufficient permissions|missing scopes/i.test(field(response.body, 'error', 'message') ?? ''),
  facts: (response) => {
    const organization = response.headers.get('openai-organization') ?? undefined;
    return {
      ...(organization ? { account: organization } : {}),
      ...(response.status === 403 ? { details: { access: 'restricted (no model read)' } } : {}),
    };
  },
  fixtures: {
    live: {
      status: 200,
      headers: {
        'content-type': 'application/json',
        'openai-organization': 'acme-ml-platform',
        'openai-version': '2020-10-01',
      },
      body: {
        object: 'list',
        data: [
          { id: 'gpt-4o-mini', object: 'model', created: 1721172741, owned_by: 'system' },
          { id: 'text-embedding-3-small', object: 'model', created: 1705948997, owned_by: 'system' },
        ],
      },
    },
    dead: OPENAI_INVALID_KEY,
  },
});

/**
 * `GET https://api.openai.com/v1/organization/admin_api_keys?limit=1`
 * (platform.openai.com/docs/api-reference/admin-api-keys/list): read-only, and
 * only admin keys may call it (they cannot call `/v1/models`). 200 live, 401 dead.
 */
const openaiAdminKeysList = httpVerifier({
  hosts: ['api.openai.com'],
  request: (secret) => ({
    url: 'https://api.openai.com/v1/organization/admin_api_keys?limit=1',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [401],
  facts: (response) => {
    const organization = response.headers.get('openai-organization') ?? undefined;
    return { ...(organization ? { account: organization } : {}), privileged: true };
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        object: 'list',
        data: [
          {
            object: 'organization.admin_api_key',
            id: 'key_8fJqT2mWbX4nRc7L',
            name: 'billing-sync',
            redacted_value: 'sk-admin-bE9v...qJKq2ER',
            created_at: 1719331200,
            last_used_at: 1735689600,
            owner: {
              type: 'user',
              object: 'organization.user',
              id: 'user_Zq3mHk8PwR5sLt',
              name: 'Dana Ortiz',
              role: 'owner',
            },
          },
        ],
        first_id: 'key_8fJqT2mWbX4nRc7L',
        last_id: 'key_8fJqT2mWbX4nRc7L',
        has_more: true,
      },
    },
    dead: OPENAI_INVALID_KEY,
  },
});

/** Project (`sk-proj-`), service-account (`sk-svcacct-`), `sk-None-` and legacy user keys (`sk-` + 20 + marker + 20). */
export const openaiApiKey: Detector = {
  id: 'openai-api-key',
  name: 'OpenAI API key',
  issuer: 'openai',
  // The marker catches legacy `sk-…` keys without making `sk-` (task-, disk-…) a keyword.
  keywords: ['sk-proj-', 'sk-svcacct-', 'sk-None-', OPENAI_MARKER],
  pattern:
    /(?<![A-Za-z0-9_-])(?<secret>sk-(?!admin-)(?:proj-|svcacct-|None-)?[A-Za-z0-9_-]{20,80}T3BlbkFJ[A-Za-z0-9_-]{20,80})(?![A-Za-z0-9_-])/,
  // A marker hit sits up to ~90 characters after the start of the key.
  window: { before: 100, after: 256 },
  validate: hasOpenaiStructure,
  severity: 'high',
  verify: openaiModels,
  examples: {
    match: [
      'OPENAI_API_KEY=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',
      'the eval runner uses the service account key 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',
      'openai.api_key = "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"',
    ],
    ignore: [
      'OPENAI_API_KEY=sk-proj-...',
      // no marker: some other vendor's sk- key
      'DEEPSEEK_API_KEY=sk-9f2c4e7a1b3d5f6e8a0c2b4d6f8e1a3c',
      'OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxx',
      // truncated after the marker
      'sk-proj-lCuIcx-0EHaWzxNX5DWiKx_VyUa9wIQlMkRqa1zMGmoK5DwHa6UrLHT3j5IhkE52xC-Wi4XAJ0T3BlbkFJbEUb',
    ],
  },
};

/** Organization admin keys (`sk-admin-`): manage users, projects and every other key. */
export const openaiAdminKey: Detector = {
  id: 'openai-admin-key',
  name: 'OpenAI admin key',
  issuer: 'openai',
  keywords: ['sk-admin-'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>sk-admin-[A-Za-z0-9_-]{20,80}T3BlbkFJ[A-Za-z0-9_-]{20,80})(?![A-Za-z0-9_-])/,
  validate: hasOpenaiStructure,
  severity: 'critical',
  verify: openaiAdminKeysList,
  examples: {
    match: [
      'OPENAI_ADMIN_KEY=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',
      'curl https://api.openai.com/v1/organization/users -H "Authorization: Bearer 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"',
    ],
    ignore: [
      'admin keys start with sk-admin- and can only be created by owners',
      'OPENAI_ADMIN_KEY=sk-admin-bE9vVxzTAvWs67OMAQI2Ew4O74QpI5Fmxul13Mm4vOuWLFjehHp989OyPjbE9vVxzTAvWs67OMAQI2Ew4O',
      'sk-admin-********************T3BlbkFJ********************',
    ],
  },
};

export const openaiDetectors: readonly Detector[] = [openaiApiKey, openaiAdminKey];
