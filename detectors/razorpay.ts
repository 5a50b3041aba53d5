import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { basicAuth } from '../src/verification/sensitive.ts';

/**
 * Razorpay live key pair: the key id `rzp_live_` + 14 is public (it ships in
 * checkout pages); the 24-character key secret next to it is the credential.
 * Both are needed, so the secret is a required companion. `rzp_test_` keys are ignored.
 */
export const razorpayKeySecret: Detector = {
  id: 'razorpay-key-secret',
  name: 'Razorpay live key id and secret',
  issuer: 'razorpay',
  keywords: ['rzp_live_'],
  pattern: /(?<![\w-])(?<secret>rzp_live_[A-Za-z0-9]{14})(?![\w-])/,
  companions: [
    {
      name: 'keySecret',
      pattern:
        /(?<![a-z])(?:razorpay|rzp|key)[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[A-Za-z0-9]{24})(?![\w-])/i,
      window: 240,
      entropy: 3.5,
    },
  ],
  severity: 'high',
  // `GET /v1/orders?count=1` (read-only list) with Basic key_id:key_secret.
  verify: httpVerifier({
    hosts: ['api.razorpay.com'],
    request: (secret, ctx) => ({
      url: 'https://api.razorpay.com/v1/orders?count=1',
      headers: { authorization: basicAuth(secret, ctx.parts.keySecret ?? '') },
    }),
    deadStatus: [401],
    fixtures: {
      live: { status: 200, body: { entity: 'collection', count: 0, items: [] } },
      dead: {
        status: 401,
        body: { error: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed', source: 'NA', step: 'NA' } },
      },
    },
  }),
  examples: {
    match: [
      'RAZORPAY_KEY_ID=rzp_live_iREDNEleR8zKCa\nRAZORPAY_KEY_SECRET=82Eb6KP5YOTJUuT37EhhFSGI',
      '{"key_id": "rzp_live_7PDRmyOjIIL6Ve", "key_secret": "5M0nDCKFNUW6kJgIrJBiDkGJ"}',
    ],
    ignore: [
      // test mode keys move no money
      'RAZORPAY_KEY_ID=rzp_test_iREDNEleR8zKCa\nRAZORPAY_KEY_SECRET=82Eb6KP5YOTJUuT37EhhFSGI',
      // the public key id alone, as embedded in a checkout page
      'var options = { "key": "rzp_live_iREDNEleR8zKCa", "amount": "50000", "currency": "INR" };',
      'RAZORPAY_KEY_ID=rzp_live_iREDNEleR8zKCa RAZORPAY_KEY_SECRET=<your-key-secret>',
    ],
  },
};

export const razorpayDetectors: readonly Detector[] = [razorpayKeySecret];
