import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Graph API access tokens (user, page, system-user, WhatsApp Business): `EAA`
 * + the app's marker letter + 80–400 alphanumerics.
 */
export const metaAccessToken: Detector = {
  id: 'meta-access-token',
  name: 'Meta (Facebook/WhatsApp) Graph API access token',
  issuer: 'meta',
  keywords: ['EAA'],
  pattern: /(?<![A-Za-z0-9+/_-])(?<secret>EAA[A-Za-z0-9]{80,400})(?![A-Za-z0-9+/=_-])/,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret.slice(3)),
  entropy: 4.5,
  severity: 'high',
  // GET /me?fields=id,name: the Graph API's own "who am I"; expired/invalid tokens get 400 OAuthException code 190.
  verify: httpVerifier({
    hosts: ['graph.facebook.com'],
    request: (secret) => ({
      url: 'https://graph.facebook.com/me?fields=id,name',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    liveStatus: [200, 400],
    confirm: (response) => {
      if (response.status === 200) return field(response.body, 'id') !== undefined;
      return field(response.body, 'error', 'code') === '190' ? 'dead' : false;
    },
    facts: (response) => {
      const name = field(response.body, 'name');
      return name === undefined ? undefined : { account: name };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { id: '108374925816403', name: 'Acme Support' },
      },
      dead: {
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: {
          error: {
            message: 'Error validating access token: Session has expired.',
            type: 'OAuthException',
            code: 190,
            error_subcode: 463,
            fbtrace_id: 'AbC1dEf2',
          },
        },
      },
    },
  }),
  examples: {
    match: [
      'WHATSAPP_TOKEN=EAAGqXgBSP6skjBrgb4UJWSoy93dJUN8UGsPupTIwsSxzjWKJCAGusmPVSd2vCDL9Lr6idWS094EyB3HekKPTbHShQ2xy8zwrH8JkQr2UtpnmGJYuwEKz2J2Z6WSw6sLhXgqXGnUkelkhBLpON75R9iuEbdw3FURDjCp5FOhC0cyssJ1nHCtVU4b',
      'curl "https://graph.facebook.com/v19.0/me/accounts?access_token=EAAB8T7BIYsktB6ta4Cp1OFePi1HBvFT3Y7SWIrYCkFFtlDR5FDnW1xaSlJcKYAhUrd6eYy1CyT2tu9HtwegoOnPbF5hDEdQEO6Tgc91WLuZuj5GmLPVPwrstWhT"',
    ],
    ignore: [
      'FB_TOKEN=EAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'FB_TOKEN=EAAGqXgBSP6skjBrgb4UJWSoy93dJUN8UG',
      // inside a base64 certificate body
      'MIIEpAIBAAKCAQEAqEAAGqXgBSP6skjBrgb4UJWSoy93dJUN8UGsPupTIwsSxzjWKJCAGusmPVSd2vCDL9Lr6idWS094EyB3HekKPTbHShQ2xy8zwrH8JkQr2Utpn+mGJ',
    ],
  },
};

/** App secrets: 32 hex next to a Facebook/Meta app name. Mint app access tokens and sign server calls. */
export const metaAppSecret: Detector = {
  id: 'meta-app-secret',
  name: 'Meta (Facebook) app secret',
  issuer: 'meta',
  keywords: ['facebook', 'fb_app', 'fb-app', 'fb app', 'fbapp', 'meta_app', 'meta-app', 'meta app'],
  pattern:
    /(?:\b(?:facebook|meta)[\w. -]{0,20}?app|\bfb[ _-]?app)[ _.-]{0,3}secret[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[0-9a-f]{32})(?![0-9A-Za-z])/i,
  entropy: 3,
  severity: 'high',
  examples: {
    match: [
      'FACEBOOK_APP_ID=1183412976454213\nFACEBOOK_APP_SECRET=f337ed7d698efe21f31a95935fc1ac58',
      'meta app secret: 7666f5629c684afe32fed95a9f9ccfb5 (webhooks signature check)',
    ],
    ignore: [
      'FACEBOOK_APP_SECRET=<app secret>',
      'FACEBOOK_APP_SECRET=00000000000000000000000000000000',
      'facebook app secret rotated in 6301ca252628752bb475629d14122613e33d469e',
    ],
  },
};

export const metaDetectors: readonly Detector[] = [metaAccessToken, metaAppSecret];
