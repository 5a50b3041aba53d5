import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Gitea / Forgejo access tokens: 40 hex, prefix-less, so the word Gitea or
 * Forgejo must be nearby. Self-hosted: the check runs only against configured servers.
 */
export const giteaAccessToken: Detector = {
  id: 'gitea-access-token',
  name: 'Gitea access token',
  issuer: 'gitea',
  keywords: ['gitea', 'forgejo'],
  pattern:
    /(?<![a-z])(?:gitea|forgejo)[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[a-f0-9]{40})(?![\w-])/i,
  entropy: 3,
  severity: 'critical',
  // `GET /api/v1/user`: the read-only "who am I".
  verify: httpVerifier({
    hosts: [],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/api/v1/user`,
      headers: { authorization: secretText`token ${secret}`, accept: 'application/json' },
    }),
    facts: (r) => {
      const account = field(r.body, 'login');
      return { ...(account ? { account } : {}), privileged: (r.body as { is_admin?: unknown }).is_admin === true };
    },
    fixtures: {
      live: {
        status: 200,
        body: { id: 3, login: 'release-bot', full_name: 'Release Bot', email: 'release@acme.test', is_admin: false },
      },
      dead: {
        status: 401,
        body: { message: 'user does not exist [uid: 0, name: ]', url: 'https://git.acme.internal/api/swagger' },
      },
    },
  }),
  examples: {
    match: [
      'GITEA_TOKEN=bbc34f26def112f345d2c96dbcbad2da041b6693',
      'forgejo release action: token: fe7506049ff1a531c63962c736e65ce3ff3f6051',
    ],
    ignore: [
      'GITEA_TOKEN=0000000000000000000000000000000000000000',
      // a commit SHA in a Gitea URL
      'https://gitea.acme.internal/acme/web/commit/bbc34f26def112f345d2c96dbcbad2da041b6693',
      'GITEA_TOKEN=${{ secrets.GITEA_TOKEN }}',
    ],
  },
};

export const giteaDetectors: readonly Detector[] = [giteaAccessToken];
