import type { Detector } from '../src/core/detector.ts';
import { charClasses } from '../src/detection/entropy.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * `GET https://api.sendgrid.com/v3/scopes` (www.twilio.com/docs/sendgrid/api-reference/api-key-permissions/retrieve-a-list-of-scopes-for-which-this-user-has-access,
 * tokens.md #69): any key may read its own scopes. 200 live, 401 dead. A 403
 * stays unknown: IP Access Management answers 403 for a valid key called from
 * an address it does not allow.
 */
const sendgridScopes = httpVerifier({
  hosts: ['api.sendgrid.com'],
  request: (secret) => ({
    url: 'https://api.sendgrid.com/v3/scopes',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [401],
  facts: (response) => {
    const raw = (response.body as { scopes?: unknown } | null)?.scopes;
    const scopes = Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : [];
    // A key that can create keys can mint itself a replacement before this one is revoked.
    return scopes.length > 0
      ? { scopes, ...(scopes.includes('api_keys.create') ? { privileged: true } : {}) }
      : undefined;
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: { scopes: ['mail.send', 'mail.batch.read', 'templates.read', 'stats.read', 'suppression.read'] },
    },
    dead: {
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: { errors: [{ field: null, message: 'authorization required' }] },
    },
  },
});

/** Both random parts contain at least two of lower/upper/digit (rules out ids and words). */
function hasRandomParts(secret: string): boolean {
  return secret
    .split('.')
    .slice(1)
    .every((part) => {
      const c = charClasses(part);
      return (c.lower > 0 ? 1 : 0) + (c.upper > 0 ? 1 : 0) + (c.digit > 0 ? 1 : 0) >= 2;
    });
}

/** API keys: `SG.` + 22-char key id + `.` + 43-char secret (69 chars). Send mail as the account. */
export const sendgridApiKey: Detector = {
  id: 'sendgrid-api-key',
  name: 'SendGrid API key',
  issuer: 'sendgrid',
  keywords: ['SG.'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_.-])/,
  validate: hasRandomParts,
  entropy: 4,
  severity: 'high',
  verify: sendgridScopes,
  examples: {
    match: [
      'SENDGRID_API_KEY=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',
      'password reset mails fail, smtp password is 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 (user apikey)',
    ],
    ignore: [
      'SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'SENDGRID_API_KEY=SG.****',
      // second part truncated
      'SG.21UiVFJFe76VrE5bX-lUJb.YgxXTXcfxZ9HUD9yG1okI8vtdYJ',
      'see msg.attachments.filename and SG.TemplateId for the mapping',
    ],
  },
};

export const sendgridDetectors: readonly Detector[] = [sendgridApiKey];
