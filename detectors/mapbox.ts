import type { Detector } from '../src/core/detector.ts';
import type { Verifier } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Mapbox tokens are `<usage>.<base64url JSON {"u": user, "a": token id}>.<22>`.
 * A token whose middle part does not decode to that JSON is a corrupted or
 * invented string.
 */
export function isMapboxToken(token: string): boolean {
  const payload = token.split('.')[1] ?? '';
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof claims.u === 'string' && claims.u.length > 0;
  } catch {
    return false;
  }
}

/** `GET /tokens/v2?access_token=`: Mapbox's own token check, read-only. */
const tokenCheck: Verifier = httpVerifier({
  hosts: ['api.mapbox.com'],
  request: (secret) => ({ url: secretText`https://api.mapbox.com/tokens/v2?access_token=${secret}` }),
  deadStatus: [401],
  confirm: (r) => {
    const code = field(r.body, 'code');
    if (code === 'TokenValid') return true;
    return code === 'TokenExpired' || code === 'TokenRevoked' || code === 'TokenInvalid' ? 'dead' : false;
  },
  facts: (r) => {
    const account = field(r.body, 'token', 'user');
    const expires = field(r.body, 'token', 'expires');
    return { ...(account ? { account } : {}), ...(expires ? { expiresAt: expires } : {}) };
  },
  fixtures: {
    live: {
      status: 200,
      body: {
        code: 'TokenValid',
        token: { usage: 'sk', user: 'acme-maps', authorization: 'clx3k9v2p0q7m1r8s4t6w2yz', client: 'api' },
      },
    },
    dead: {
      status: 401,
      body: {
        code: 'TokenRevoked',
        token: { usage: 'sk', user: 'acme-maps', authorization: 'clx3k9v2p0q7m1r8s4t6w2yz' },
      },
    },
  },
});

/** Secret tokens (`sk.`): write access to styles, datasets, uploads and token management. `pk.` tokens are public. */
export const mapboxSecretToken: Detector = {
  id: 'mapbox-secret-token',
  name: 'Mapbox secret access token',
  issuer: 'mapbox',
  keywords: ['sk.eyJ'],
  pattern: /(?<![\w.-])(?<secret>sk\.eyJ[A-Za-z0-9_-]{20,200}\.[A-Za-z0-9_-]{22})(?![\w.-])/,
  validate: isMapboxToken,
  entropy: 4,
  severity: 'high',
  verify: tokenCheck,
  examples: {
    match: [
      'MAPBOX_SECRET_TOKEN=sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNseDNrOXYycDBxN20xcjhzNHQ2dzJ5eiJ9.OF4wzCI8vtj6C_h8bNJsed',
      'the tile uploader uses sk.eyJ1IjoiZmxlZXQtb3BzIiwiYSI6ImNtMWI3ZDJmOWczaDVqOGswbjRwNnExciJ9.FmwVZoK71WLe4K6fI7fe4U, who owns it?',
    ],
    ignore: [
      // public token: meant to ship in web pages
      'mapboxgl.accessToken = "pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNseDNrOXYycDBxN20xcjhzNHQ2dzJ5eiJ9.OF4wzCI8vtj6C_h8bNJsed"',
      // the middle part is not Mapbox's JSON
      'sk.eyJhbGciOiJIUzI1NiJ9eyJzdWIiOiIxMjM0NTY3ODkwIn0.OF4wzCI8vtj6C_h8bNJsed',
      'MAPBOX_SECRET_TOKEN=sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNseDNrOXYycDBxN20xcjhzNHQ2dzJ5eiJ9',
    ],
  },
};

/** Temporary tokens (`tk.`): minted from a secret token, valid for up to an hour. */
export const mapboxTemporaryToken: Detector = {
  id: 'mapbox-temporary-token',
  name: 'Mapbox temporary access token',
  issuer: 'mapbox',
  keywords: ['tk.eyJ'],
  pattern: /(?<![\w.-])(?<secret>tk\.eyJ[A-Za-z0-9_-]{20,300}\.[A-Za-z0-9_-]{22})(?![\w.-])/,
  validate: isMapboxToken,
  entropy: 4,
  severity: 'medium',
  verify: tokenCheck,
  examples: {
    match: [
      'MAPBOX_TOKEN=tk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNseDl6OHk3dzZ2NXU0dDNzMnIxcTBwbiJ9.DsThP_v-Fh7adsw1_T7Ijq',
      'temp token for the demo: tk.eyJ1IjoiZmxlZXQtb3BzIiwiYSI6ImNtMWI3ZDJmOWczaDVqOGswbjRwNnExciJ9.OF4wzCI8vtj6C_h8bNJsed',
    ],
    ignore: [
      'MAPBOX_TOKEN=tk.eyJ...',
      'tk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6ImNseDl6OHk3dzZ2NXU0dDNzMnIxcTBwbiJ9.DsThP_v-Fh7ad',
      'tk.eyJub3RNYXBib3giOnRydWV9xx.DsThP_v-Fh7adsw1_T7Ijq',
    ],
  },
};

export const mapboxDetectors: readonly Detector[] = [mapboxSecretToken, mapboxTemporaryToken];
