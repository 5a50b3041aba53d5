import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Hetzner Cloud API tokens: 64 base62, only recognisable next to `hcloud`/`hetzner`. */
export const hetznerCloudApiToken: Detector = {
  id: 'hetzner-cloud-api-token',
  name: 'Hetzner Cloud API token',
  issuer: 'hetzner',
  keywords: ['hcloud', 'hetzner'],
  pattern: new RegExp(
    `(?:hcloud|hetzner)(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:api|cloud|access|project|dns)[_.\\s-]{0,2}){0,2}(?:token|key)s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?(?<secret>[A-Za-z0-9]{64})(?![\\w-])`,
    'i',
  ),
  entropy: 4.2,
  severity: 'critical',
  // Lists at most one server of the token's project: read-only, no "who am I" exists.
  verify: httpVerifier({
    hosts: ['api.hetzner.cloud'],
    request: (secret) => ({
      url: 'https://api.hetzner.cloud/v1/servers?per_page=1',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    confirm: (response) => Array.isArray((response.body as { servers?: unknown } | null)?.servers),
    fixtures: {
      live: {
        status: 200,
        body: {
          servers: [{ id: 48213377, name: 'web-fsn1-01', status: 'running' }],
          meta: {
            pagination: { page: 1, per_page: 1, previous_page: null, next_page: 2, last_page: 7, total_entries: 7 },
          },
        },
      },
      dead: { status: 401, body: { error: { code: 'unauthorized', message: 'unable to authenticate' } } },
    },
  }),
  examples: {
    match: [
      'HCLOUD_TOKEN=6Fp95NbKSyGb5XmX48P83pXA9o9JT90SUfWZhDilHsEMwtz3VG2YuiyDn1aeIKsQ',
      'the hetzner api token gYAbQAvNiacuNJgeYnSS0akRaAKbq4ziC9gVKoQJpIpxomNpYXAhgDGIIFf3EQ0J belongs to the staging project',
    ],
    ignore: [
      'HCLOUD_TOKEN=${HCLOUD_TOKEN}',
      'hcloud context create prod  # paste the token when prompted',
      'hetzner dns token: 3f2a9c1e7b4d4e0f9a8b6c5d4e3f2a1b',
    ],
  },
};

export const hetznerDetectors: readonly Detector[] = [hetznerCloudApiToken];
