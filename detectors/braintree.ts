import type { Detector } from '../src/core/detector.ts';

/**
 * Braintree (PayPal) OAuth access tokens for production merchants:
 * `access_token$production$<16 merchant id chars>$<32 hex>`. Sandbox tokens
 * move no money and are ignored. No read-only check without the merchant's SDK setup.
 */
export const braintreeAccessToken: Detector = {
  id: 'braintree-access-token',
  name: 'Braintree production access token',
  issuer: 'braintree',
  keywords: ['access_token$production$'],
  pattern: /(?<![\w$])(?<secret>access_token\$production\$[a-z0-9]{16}\$[a-f0-9]{32})(?![\w$])/,
  entropy: 3,
  severity: 'high',
  examples: {
    match: [
      'BRAINTREE_ACCESS_TOKEN=access_token$production$un8tlb3cev3stoxo$1e03e3c5ee7eb4e7980c3bcfa26d7a5b',
      'gateway = braintree.BraintreeGateway(access_token="access_token$production$unk8b1bz5jwqw81x$39af6dd9c671c2f98b93d41a30503981")',
    ],
    ignore: [
      // sandbox: no real money
      'access_token$sandbox$un8tlb3cev3stoxo$1e03e3c5ee7eb4e7980c3bcfa26d7a5b',
      'BRAINTREE_ACCESS_TOKEN=access_token$production$xxxxxxxxxxxxxxxx$xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'access_token$production$un8tlb3cev3stoxo$1e03e3c5ee7e',
    ],
  },
};

export const braintreeDetectors: readonly Detector[] = [braintreeAccessToken];
