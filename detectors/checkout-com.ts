import type { Detector } from '../src/core/detector.ts';

/**
 * Checkout.com production secret keys: current accounts `sk_` + 27 base32
 * characters, legacy accounts `sk_` + UUID (sandbox keys are `sk_sbox_…` /
 * `sk_test_…`). `sk_` is shared by many vendors, so the word Checkout (or `cko`)
 * must be nearby. Every API call needs a resource id, so no liveness check.
 */
export const checkoutComSecretKey: Detector = {
  id: 'checkout-com-secret-key',
  name: 'Checkout.com secret key',
  issuer: 'checkout-com',
  keywords: ['checkout', 'cko'],
  pattern:
    /(?<![a-z])(?:checkout|cko)[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>sk_(?:[a-z2-7]{27}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))(?![\w-])/i,
  entropy: 3.3,
  severity: 'high',
  examples: {
    match: [
      'CKO_SECRET_KEY=sk_d23k6n54jzqpyu25qc2evhbxewb',
      'checkout.com live secret: sk_6c4caa27-694c-4d83-a025-bd8780d504f3 (legacy account)',
    ],
    ignore: [
      // sandbox keys
      'CKO_SECRET_KEY=sk_sbox_3dd6lrwqhz7c6l3tsencnxvype4',
      'checkout.com test key sk_test_6c4caa27-694c-4d83-a025-bd8780d504f3',
      'git checkout sk_d23k6n54 && git pull',
    ],
  },
};

export const checkoutComDetectors: readonly Detector[] = [checkoutComSecretKey];
