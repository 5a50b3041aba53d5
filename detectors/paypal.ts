import type { Detector } from '../src/core/detector.ts';

/**
 * PayPal REST app client secret: 80 base64url characters starting with `E`,
 * next to the word PayPal (prefix-less, so anchored by the vendor keyword).
 * The only check is an OAuth client-credentials exchange, which mints a token: not done.
 */
export const paypalClientSecret: Detector = {
  id: 'paypal-client-secret',
  name: 'PayPal REST client secret',
  issuer: 'paypal',
  keywords: ['paypal'],
  pattern:
    /(?<![a-z])paypal[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>E[A-Za-z0-9_-]{79})(?![\w-])/i,
  validate: (secret) => /^E/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret.slice(1)) && /\d/.test(secret),
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'PAYPAL_CLIENT_SECRET=EEZeN89IXHvidOZS6RQMFk5Wfvqv2n1n57ZeET6KuwvBg-mg_I-8ZI7np4QROCZfpanWRzuP8kD5EORG',
      'paypal live app secret is ENn2g2K34lZ5g9uVYzCMMN1KzsEdUg8A7dQXDq-vUjru0G0JWqMq_k_4d1ROE1DV_Ex-xvU2aPxhcWaj',
    ],
    ignore: [
      // the client id (starts with A) is not secret
      'PAYPAL_CLIENT_ID=AHWLtvWErFBKx8ry3PZpvBjSpKg_a77fD2y_X9RApB0FLfSj1jTKRPeX60xaTiiaVhtw3GsN9-8OQxAX',
      'PAYPAL_CLIENT_SECRET=EXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      // no PayPal context
      'secret=EEZeN89IXHvidOZS6RQMFk5Wfvqv2n1n57ZeET6KuwvBg-mg_I-8ZI7np4QROCZfpanWRzuP8kD5EORG',
    ],
  },
};

export const paypalDetectors: readonly Detector[] = [paypalClientSecret];
