import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/**
 * Public API tokens: `sgp_` + 64 alphanumerics (Workspace Owner or scoped
 * roles: create/delete sources, destinations, warehouses). Sourcegraph also
 * uses `sgp_`, but with hex only; write keys are public and not reported.
 */
export const segmentPublicApiToken: Detector = {
  id: 'segment-public-api-token',
  name: 'Segment Public API token',
  issuer: 'segment',
  keywords: ['sgp_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>sgp_[A-Za-z0-9]{64})(?![A-Za-z0-9_])/,
  // Sourcegraph's sgp_ tokens are hex: require letters beyond a-f.
  validate: (secret) => /[g-zG-Z]/.test(secret.slice(4)),
  entropy: 4,
  severity: 'high',
  // GET / ("Get Workspace") returns the token's workspace; US and EU workspaces have their own hosts.
  verify: inRegions(
    ['api.segmentapis.com', 'eu1.api.segmentapis.com'].map((host) =>
      httpVerifier({
        hosts: [host],
        request: (secret) => ({ url: `https://${host}/`, headers: { authorization: secretText`Bearer ${secret}` } }),
        facts: (response) => {
          const slug = field(response.body, 'data', 'workspace', 'slug');
          return slug === undefined ? undefined : { account: slug };
        },
        fixtures: {
          live: {
            status: 200,
            headers: { 'content-type': 'application/vnd.segment.v1+json' },
            body: { data: { workspace: { id: '9aQ1Lj62S4bomZKLF4DPqW', name: 'Acme', slug: 'acme' } } },
          },
          dead: {
            status: 401,
            headers: { 'content-type': 'application/json' },
            body: { errors: [{ type: 'unauthorized', message: 'Unauthorized' }] },
          },
        },
      }),
    ),
  ),
  examples: {
    match: [
      'SEGMENT_PUBLIC_API_TOKEN=sgp_vOdTjnhSnCrTBtx1psDXTy7KQ3cHAZ7E3AAurXPCQzWfqDoVA7OGHFTHE9dX3tc2',
      'curl https://api.segmentapis.com/sources -H "Authorization: Bearer sgp_FH6VLYB7DLhRAAZOmUF5ODXSW2CB8Q2VDTECMtUOtxm1GwJcakHpfxSN40GS1ICp"',
    ],
    ignore: [
      // Sourcegraph access token
      'SRC_ACCESS_TOKEN=sgp_42b816c8af0a55bd2a4da954e29a092342b816c8af0a55bd2a4da954e29a0923',
      'SEGMENT_PUBLIC_API_TOKEN=sgp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'sgp_vOdTjnhSnCrTBtx1psDXTy7KQ3cHAZ7E3AAurXPC',
    ],
  },
};

export const segmentDetectors: readonly Detector[] = [segmentPublicApiToken];
