import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Drone CI personal tokens: 32 alphanumerics, prefix-less, so the word Drone must be nearby. */
export const droneApiToken: Detector = {
  id: 'drone-api-token',
  name: 'Drone CI API token',
  issuer: 'drone',
  keywords: ['drone'],
  pattern:
    /(?<![a-z])drone[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[A-Za-z0-9]{32})(?![\w-])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.8,
  severity: 'critical',
  // `GET {server}/api/user`: the read-only "who am I", only against servers an admin configured.
  verify: httpVerifier({
    hosts: [],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/api/user`,
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    facts: (r) => {
      const account = field(r.body, 'login');
      return { ...(account ? { account } : {}), privileged: (r.body as { admin?: unknown }).admin === true };
    },
    fixtures: {
      live: {
        status: 200,
        body: { id: 7, login: 'deploy-bot', email: 'deploy@acme.test', machine: true, admin: false, active: true },
      },
      dead: { status: 401, body: { message: 'Unauthorized' } },
    },
  }),
  examples: {
    match: [
      'export DRONE_SERVER=https://drone.acme.internal\nexport DRONE_TOKEN=WoHRNPGti3Af1ghWw90sFfn3kGaMV18h',
      'drone token for bot account: zD2QyCE0DRzu4xp4DBk5n5C2WAVlhqCG',
    ],
    ignore: [
      'DRONE_TOKEN=<your-drone-token>',
      'DRONE_TOKEN=abcdefabcdefabcdefabcdefabcdefab',
      // a Drone build commit SHA (lowercase hex)
      'drone build #881 for ce9b98a0a95895d6bb5be1ed9a02cc8e',
    ],
  },
};

export const droneDetectors: readonly Detector[] = [droneApiToken];
