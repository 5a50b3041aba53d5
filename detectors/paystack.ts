import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Paystack live secret keys: `sk_live_` + 40 lowercase hex. Stripe also uses
 * `sk_live_`, but its bodies are mixed-case base62, so 40 lowercase hex is Paystack's shape.
 */
export const paystackSecretKey: Detector = {
  id: 'paystack-secret-key',
  name: 'Paystack live secret key',
  issuer: 'paystack',
  keywords: ['sk_live_'],
  pattern: /(?<![\w-])(?<secret>sk_live_[a-f0-9]{40})(?![\w-])/,
  validate: (secret) => /[a-f]/.test(secret.slice(8)) && /\d/.test(secret.slice(8)),
  entropy: 3,
  severity: 'high',
  // `GET /balance` is read-only.
  verify: httpVerifier({
    hosts: ['api.paystack.co'],
    request: (secret) => ({
      url: 'https://api.paystack.co/balance',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    deadStatus: [401],
    confirm: (r) => (r.body as { status?: unknown } | null)?.status === true,
    fixtures: {
      live: {
        status: 200,
        body: { status: true, message: 'Balances retrieved', data: [{ currency: 'NGN', balance: 4250000 }] },
      },
      dead: { status: 401, body: { status: false, message: 'Invalid key' } },
    },
  }),
  examples: {
    match: [
      'PAYSTACK_SECRET_KEY=sk_live_9fb244a00c0c18cc0a1a0e250dd5cfed41370207',
      'paystack prod key: sk_live_1fd6791393ec671fd69fd74e2589c1c917ff52c2 (please move it to vault)',
    ],
    ignore: [
      'PAYSTACK_SECRET_KEY=sk_test_9fb244a00c0c18cc0a1a0e250dd5cfed41370207',
      // a Stripe-shaped key
      'STRIPE_SECRET_KEY=sk_live_51HqLyjWDarjtT1zdp7dcZGd1Lmvq0Jx4z0xQ2TdxYQnp4NvJz',
      'PAYSTACK_SECRET_KEY=sk_live_0000000000000000000000000000000000000000',
    ],
  },
};

export const paystackDetectors: readonly Detector[] = [paystackSecretKey];
