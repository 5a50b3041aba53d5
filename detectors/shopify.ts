import type { Detector } from '../src/core/detector.ts';
import type { SafeResponse, Verifier } from '../src/core/verification.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';

/**
 * Shopify Admin API tokens carry no shop name, and the check must go to the
 * shop's own `*.myshopify.com` host. The runner calls it only for shops an
 * admin configured (`baseUrls`, e.g. `https://acme.myshopify.com`), so a token
 * is never sent to a host taken from message text.
 * `GET /admin/oauth/access_scopes.json` is read-only and lists the granted scopes.
 */
function accessScopesVerifier(): Verifier {
  return httpVerifier({
    hosts: ['*.myshopify.com'],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/admin/oauth/access_scopes.json`,
      headers: { 'x-shopify-access-token': secret, accept: 'application/json' },
    }),
    deadStatus: [401],
    confirm: (r) => Array.isArray((r.body as { access_scopes?: unknown } | null)?.access_scopes),
    facts: (r: SafeResponse) => {
      const scopes = ((r.body as { access_scopes?: { handle?: unknown }[] }).access_scopes ?? [])
        .map((s) => s.handle)
        .filter((h): h is string => typeof h === 'string');
      return { scopes, privileged: scopes.some((s) => s.startsWith('write_')) };
    },
    fixtures: {
      live: {
        status: 200,
        body: {
          access_scopes: [{ handle: 'read_products' }, { handle: 'write_orders' }, { handle: 'read_customers' }],
        },
      },
      dead: {
        status: 401,
        body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      },
    },
  });
}

/** Admin API access token of a custom or public app: `shpat_` + 32 hex. */
export const shopifyAccessToken: Detector = {
  id: 'shopify-access-token',
  name: 'Shopify Admin API access token',
  issuer: 'shopify',
  keywords: ['shpat_'],
  pattern: /(?<![\w-])(?<secret>shpat_[a-fA-F0-9]{32})(?![\w-])/,
  entropy: 3,
  severity: 'high',
  verify: accessScopesVerifier(),
  examples: {
    match: [
      'SHOPIFY_ADMIN_TOKEN=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 for acme-store.myshopify.com',
      'the sync job uses X-Shopify-Access-Token: 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, can someone rotate it?',
    ],
    ignore: [
      'SHOPIFY_ADMIN_TOKEN=shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'admin tokens start with shpat_ and are shown once',
      // 31 hex: truncated in the paste
      'shpat_5da45c7d5d803cce43ca01ff6554d16',
    ],
  },
};

/** Token of a merchant-created custom app: `shpca_` + 32 hex. */
export const shopifyCustomAppToken: Detector = {
  id: 'shopify-custom-app-token',
  name: 'Shopify custom app access token',
  issuer: 'shopify',
  keywords: ['shpca_'],
  pattern: /(?<![\w-])(?<secret>shpca_[a-fA-F0-9]{32})(?![\w-])/,
  entropy: 3,
  severity: 'high',
  verify: accessScopesVerifier(),
  examples: {
    match: [
      'custom app token for the ERP bridge: 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',
      '{"shop":"acme.myshopify.com","token":"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"}',
    ],
    ignore: [
      'token: shpca_<your-custom-app-token>',
      '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ff01 (too long to be a token)',
      'shpca_0000000000000000000000000000000',
    ],
  },
};

/** Legacy private app password used as an access token: `shppa_` + 32 hex. */
export const shopifyPrivateAppToken: Detector = {
  id: 'shopify-private-app-token',
  name: 'Shopify private app password',
  issuer: 'shopify',
  keywords: ['shppa_'],
  pattern: /(?<![\w-])(?<secret>shppa_[a-fA-F0-9]{32})(?![\w-])/,
  entropy: 3,
  severity: 'high',
  verify: accessScopesVerifier(),
  examples: {
    match: [
      'old private app still in prod: SHOPIFY_PASSWORD=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',
      'https://api-key: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@acme.myshopify.com/admin/api/2024-01/shop.json',
    ],
    ignore: [
      'SHOPIFY_PASSWORD=shppa_${SHOPIFY_PRIVATE_APP_PASSWORD}',
      'private apps (shppa_…) were deprecated in 2022',
      'shppa_78be56e5d2d938a55b317ca992dffd',
    ],
  },
};

/** App shared secret (OAuth client secret, webhook HMAC key): `shpss_` + 32 hex. No API call proves it. */
export const shopifySharedSecret: Detector = {
  id: 'shopify-shared-secret',
  name: 'Shopify app shared secret',
  issuer: 'shopify',
  keywords: ['shpss_'],
  pattern: /(?<![\w-])(?<secret>shpss_[a-fA-F0-9]{32})(?![\w-])/,
  entropy: 3,
  severity: 'high',
  examples: {
    match: [
      'shopify_app_secret: "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"',
      'webhooks fail HMAC again — is the secret still 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?',
    ],
    ignore: [
      'SHOPIFY_API_SECRET=shpss_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'the app secret starts with shpss_',
      '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e (one hex too many)',
    ],
  },
};

export const shopifyDetectors: readonly Detector[] = [
  shopifyAccessToken,
  shopifyCustomAppToken,
  shopifyPrivateAppToken,
  shopifySharedSecret,
];
