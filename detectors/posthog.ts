import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/**
 * Personal API keys: `phx_` + ~47 alphanumerics. They query all project data
 * and change settings as the user. Project keys (`phc_`) are public.
 */
export const posthogPersonalApiKey: Detector = {
  id: 'posthog-personal-api-key',
  name: 'PostHog personal API key',
  issuer: 'posthog',
  keywords: ['phx_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>phx_[A-Za-z0-9]{40,50})(?![A-Za-z0-9_])/,
  entropy: 4,
  severity: 'high',
  // GET /api/users/@me/ returns the key's user; US and EU Cloud are separate hosts.
  verify: inRegions(
    ['us.posthog.com', 'eu.posthog.com'].map((host) =>
      httpVerifier({
        hosts: [host],
        request: (secret) => ({
          url: `https://${host}/api/users/@me/`,
          headers: { authorization: secretText`Bearer ${secret}` },
        }),
        facts: (response) => {
          const email = field(response.body, 'email');
          return email === undefined ? undefined : { account: email };
        },
        fixtures: {
          live: {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: {
              uuid: '0190b8e2-7c1d-7000-8a3e-0d1f2a3b4c5d',
              email: 'analytics-bot@corp.internal',
              organization: { name: 'Acme' },
            },
          },
          dead: {
            status: 401,
            headers: { 'content-type': 'application/json' },
            body: {
              type: 'authentication_error',
              code: 'invalid_personal_api_key',
              detail: 'Personal API key found in request Authorization header is invalid.',
            },
          },
        },
      }),
    ),
  ),
  examples: {
    match: [
      'POSTHOG_PERSONAL_API_KEY=phx_oK4cICTRgMEdPvwdUdbbSwJQqdNSLXrKDmRxlSMHFog7cfl npx posthog-cli sourcemap upload',
      'curl -H "Authorization: Bearer phx_pEJVNUzWzpmS0UmjIH2Vd2Jw2EOdG6Q3irsRJOOx6UGaDOV" https://eu.posthog.com/api/projects/',
    ],
    ignore: [
      // project API key: public
      "posthog.init('phc_3tNYZt59p9vUvmfxgDObSaaTQfeaz2505h0yRm6Vz5a', { api_host: 'https://eu.i.posthog.com' })",
      'POSTHOG_PERSONAL_API_KEY=phx_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'POSTHOG_PERSONAL_API_KEY=phx_oK4cICTRgMEdPvwdUd',
    ],
  },
};

export const posthogDetectors: readonly Detector[] = [posthogPersonalApiKey];
