import type { Detector } from '../src/core/detector.ts';
import type { VerificationFacts } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * `GET https://api.stripe.com/v1/balance` (docs.stripe.com/api/balance/balance_retrieve,
 * tokens.md #66): read-only. 200 live; 403 `permission` error = a restricted key
 * that is valid but lacks balance read (still live; Stripe names the account);
 * 401 invalid or expired key = dead.
 */
const stripeBalance = httpVerifier({
  hosts: ['api.stripe.com'],
  request: (secret) => ({
    url: 'https://api.stripe.com/v1/balance',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  liveStatus: [200, 403],
  deadStatus: [401],
  // A 403 only proves the key live when it is Stripe's "missing permission" answer.
  confirm: (response) => response.status === 200 || /permission/i.test(field(response.body, 'error', 'message') ?? ''),
  facts: (response): VerificationFacts | undefined => {
    if (response.status === 403) {
      const account = /\bacct_[A-Za-z0-9]{8,32}\b/.exec(field(response.body, 'error', 'message') ?? '')?.[0];
      return { ...(account ? { account } : {}), details: { access: 'restricted (no balance read)' } };
    }
    const livemode = (response.body as { livemode?: unknown } | null)?.livemode;
    return typeof livemode === 'boolean' ? { details: { livemode: String(livemode) } } : undefined;
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json', 'request-id': 'req_q3ZsLx8VbN2pWd' },
      body: {
        object: 'balance',
        available: [{ amount: 1284520, currency: 'usd', source_types: { card: 1284520 } }],
        connect_reserved: [{ amount: 0, currency: 'usd' }],
        livemode: true,
        pending: [{ amount: 90310, currency: 'usd', source_types: { card: 90310 } }],
      },
    },
    dead: {
      status: 401,
      headers: { 'content-type': 'application/json', 'www-authenticate': 'Bearer realm="Stripe"' },
      body: {
        error: {
          message: 'Invalid API Key provided: sk_live_********************************wBxv',
          type: 'invalid_request_error',
        },
      },
    },
  },
});

/**
 * Live secret keys (`sk_live_`) move money and read every customer record.
 * Test-mode keys (`sk_test_`) cannot touch live data and publishable keys
 * (`pk_live_`, `pk_test_`) are public by design: neither is reported.
 */
export const stripeSecretKey: Detector = {
  id: 'stripe-secret-key',
  name: 'Stripe live secret key',
  issuer: 'stripe',
  keywords: ['sk_live_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>sk_live_[A-Za-z0-9]{20,247})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'critical',
  verify: stripeBalance,
  examples: {
    match: [
      'STRIPE_SECRET_KEY=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',
      'refunds script uses the old key sk_live_hOU4a0pQIViFeCHpoIJJMJnc, can we rotate it after the release?',
    ],
    ignore: [
      // test mode and publishable keys are not secrets worth paging about
      'STRIPE_SECRET_KEY=sk_test_51pyAy73Ol6jzKZLMdxmWeF3q2tiQqAyOxS41mokCJslwWSuVftAWZ1PvrVyyIQMbVII7DzLpjEi1hMjeUOV',
      'STRIPE_PUBLISHABLE_KEY=pk_live_51pyAy73Ol6jzKZLMdxmWeF3q2tiQqAyOxS41mokCJslwWSuVftAWZ1Pvr pk_test_hOU4a0pQIViFeCHpoIJJMJnc',
      'STRIPE_SECRET_KEY=sk_live_****************************',
      'live keys start with sk_live_ and must never be logged',
    ],
  },
};

/** Restricted live keys (`rk_live_`): scoped by the account owner, often still broad (charges, refunds). */
export const stripeRestrictedKey: Detector = {
  id: 'stripe-restricted-key',
  name: 'Stripe live restricted key',
  issuer: 'stripe',
  keywords: ['rk_live_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>rk_live_[A-Za-z0-9]{20,247})(?![A-Za-z0-9_])/,
  entropy: 3.5,
  severity: 'high',
  verify: stripeBalance,
  examples: {
    match: [
      'the reporting job reads STRIPE_KEY=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',
      '{"stripe": {"restricted_key": "rk_live_vDDPz03uQ1mejzyZ9T8XMXgF"}}',
    ],
    ignore: [
      'rk_test_vDDPz03uQ1mejzyZ9T8XMXgF',
      'STRIPE_KEY=rk_live_xxxxxxxxxxxxxxxxxxxxxxxx',
      'create a restricted key (rk_live_…) with read-only access to balance',
    ],
  },
};

export const stripeDetectors: readonly Detector[] = [stripeSecretKey, stripeRestrictedKey];
