import type { Detector } from '../src/core/detector.ts';

/**
 * API tokens: 40 alphanumerics, used as `<agent email>/token:<token>` Basic
 * credentials against `<subdomain>.zendesk.com`. Act as any agent, including
 * admins. No liveness check: the subdomain is not part of the token.
 */
export const zendeskApiToken: Detector = {
  id: 'zendesk-api-token',
  name: 'Zendesk API token',
  issuer: 'zendesk',
  keywords: ['zendesk', '/token:'],
  pattern:
    /(?:\bzendesk[\w. -]{0,20}?token[\s"'`]{0,3}[=:][\s"'`]{0,3}|@[\w.-]{1,100}\/token:)(?<secret>[A-Za-z0-9]{40})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'ZENDESK_API_TOKEN=9EtHm1yW0fIVv1cYq1aq14UV9Jw5wH6WZAi6n6ax ZENDESK_SUBDOMAIN=acmehelp',
      'curl https://acmehelp.zendesk.com/api/v2/tickets.json -u support-bot@acme.io/token:4oVtS97y5a6Bwp1cg7qNT2LUDYtb0XCefhySTGLo',
    ],
    ignore: [
      'curl https://acmehelp.zendesk.com/api/v2/users/me.json -u jdoe@acme.io/token:{api_token}',
      'ZENDESK_API_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // a commit SHA next to the word
      'zendesk token sync fixed in 6301ca252628752bb475629d14122613e33d469e',
    ],
  },
};

export const zendeskDetectors: readonly Detector[] = [zendeskApiToken];
