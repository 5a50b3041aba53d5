import type { Detector } from '../src/core/detector.ts';
import type { VerifyContext } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** The configured Mattermost server, without a trailing slash. */
function serverUrl(ctx: VerifyContext): string {
  return (ctx.baseUrls[0] ?? '').replace(/\/+$/, '');
}

/**
 * Personal access tokens and bot tokens: 26 lowercase alphanumerics next to a
 * Mattermost name. They act as the user or bot on one (usually self-hosted)
 * server.
 */
export const mattermostAccessToken: Detector = {
  id: 'mattermost-access-token',
  name: 'Mattermost personal access / bot token',
  issuer: 'mattermost',
  keywords: ['mattermost'],
  pattern: /\bmattermost[\w. -]{0,20}?token[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[a-z0-9]{26})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret),
  entropy: 3.5,
  severity: 'high',
  // GET /api/v4/users/me on the configured server (self-hosted) or a Mattermost Cloud workspace.
  verify: httpVerifier({
    hosts: ['*.cloud.mattermost.com'],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${serverUrl(ctx)}/api/v4/users/me`,
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    facts: (response) => {
      const username = field(response.body, 'username');
      return username === undefined ? undefined : { account: username };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { id: 'eyd1i3usy0mrjst9siq7b467y7', username: 'deploy-bot', is_bot: true, roles: 'system_user' },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: {
          id: 'api.context.session_expired.app_error',
          message: 'Invalid or expired session, please login again.',
          status_code: 401,
        },
      },
    },
  }),
  examples: {
    match: [
      'MATTERMOST_TOKEN=8z0ow3mjm1w5wvtq8c9q8zkklw ./notify.sh "deploy finished"',
      'mattermost bot token: eyd1i3usy0mrjst9siq7b467y7 (bot @release-notes)',
    ],
    ignore: [
      'MATTERMOST_TOKEN=<personal access token>',
      'MATTERMOST_TOKEN=abcdefghijklmnopqrstuvwxyz',
      // a post id is also 26 characters but is not next to "token"
      'mattermost post 8z0ow3mjm1w5wvtq8c9q8zkklw was pinned',
    ],
  },
};

export const mattermostDetectors: readonly Detector[] = [mattermostAccessToken];
