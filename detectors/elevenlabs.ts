import type { Detector } from '../src/core/detector.ts';
import type { VerificationFacts, Verifier } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';

/**
 * `GET /v1/user` (read-only). A key without the `user_read` permission gets
 * 401 `missing_permissions`: it is valid, only restricted.
 */
const userVerifier: Verifier = httpVerifier({
  hosts: ['api.elevenlabs.io'],
  request: (secret) => ({ url: 'https://api.elevenlabs.io/v1/user', headers: { 'xi-api-key': secret } }),
  liveStatus: [200, 401],
  deadStatus: [],
  confirm: (r) => (r.status === 200 || field(r.body, 'detail', 'status') === 'missing_permissions' ? true : 'dead'),
  facts: (r): VerificationFacts => {
    if (r.status !== 200) return { details: { permission: 'restricted (no user_read)' } };
    const facts: VerificationFacts = {};
    const account = field(r.body, 'user_id');
    const tier = field(r.body, 'subscription', 'tier');
    if (account) facts.account = account;
    if (tier) facts.details = { tier };
    return facts;
  },
  fixtures: {
    live: {
      status: 200,
      body: {
        user_id: 'Vx3kLq9ZpT2mR8sN4wYb',
        first_name: 'Dana',
        subscription: { tier: 'creator', character_count: 10432, character_limit: 100000 },
      },
    },
    dead: { status: 401, body: { detail: { status: 'invalid_api_key', message: 'Invalid API key' } } },
  },
});

/** Current ElevenLabs keys: `sk_` + 48 hex, next to an ElevenLabs word (`sk_` alone is too common). */
export const elevenlabsApiKey: Detector = {
  id: 'elevenlabs-api-key',
  name: 'ElevenLabs API key',
  issuer: 'elevenlabs',
  keywords: ['eleven', 'xi-api-key', 'xi_api_key'],
  pattern:
    /(?<![a-z])(?:eleven|xi[-_]api[-_]key)[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>sk_[a-f0-9]{48})(?![\w-])/i,
  entropy: 3,
  severity: 'high',
  verify: userVerifier,
  examples: {
    match: [
      'ELEVENLABS_API_KEY=sk_453befcccd388254814fa5787be18bf421940b07b8b68268',
      'curl https://api.elevenlabs.io/v1/voices -H "xi-api-key: sk_3dda6f018d23eaa2d4dc220e42a68c4ddecdfbd6e6d24334"',
    ],
    ignore: [
      'ELEVENLABS_API_KEY=sk_...',
      'ELEVENLABS_API_KEY=sk_000000000000000000000000000000000000000000000000',
      // no ElevenLabs context
      'secret=sk_453befcccd388254814fa5787be18bf421940b07b8b68268',
    ],
  },
};

/** Legacy ElevenLabs keys: 32 hex next to an ElevenLabs word. */
export const elevenlabsLegacyApiKey: Detector = {
  id: 'elevenlabs-legacy-api-key',
  name: 'ElevenLabs legacy API key',
  issuer: 'elevenlabs',
  keywords: ['eleven', 'xi-api-key', 'xi_api_key'],
  pattern:
    /(?<![a-z])(?:eleven|xi[-_]api[-_]key)[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[a-f0-9]{32})(?![\w-])/i,
  entropy: 3,
  severity: 'high',
  verify: userVerifier,
  examples: {
    match: [
      'ELEVEN_API_KEY=9315c296873a614357eb87139f47fe67',
      'headers = {"xi-api-key": "72d35148c70b8534b57046f6e6222c62"}',
    ],
    ignore: [
      'ELEVEN_API_KEY=00000000000000000000000000000000',
      'ELEVEN_API_KEY=<your-xi-api-key>',
      'eleven builds ago, commit 9315c296873a614357eb87139f47fe6 broke it',
    ],
  },
};

export const elevenlabsDetectors: readonly Detector[] = [elevenlabsApiKey, elevenlabsLegacyApiKey];
