import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

export const supabaseManagementToken: Detector = {
  id: 'supabase-management-token',
  name: 'Supabase management API (personal access) token',
  issuer: 'supabase',
  keywords: ['sbp_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>sbp_[0-9a-f]{40})(?![A-Za-z0-9_])/,
  entropy: 3,
  severity: 'critical',
  // tokens.md #46: `GET /v1/projects` lists the projects the token can manage.
  verify: httpVerifier({
    hosts: ['api.supabase.com'],
    request: (secret) => ({
      url: 'https://api.supabase.com/v1/projects',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    confirm: (response) => Array.isArray(response.body),
    facts: (response) => ({ details: { projects: String((response.body as unknown[]).length) } }),
    fixtures: {
      live: {
        status: 200,
        body: [
          {
            id: 'qzvxkpwmtrhnlbdy',
            organization_id: 'rbkfmzqptw',
            name: 'checkout-prod',
            region: 'eu-central-1',
            created_at: '2024-11-02T09:14:22.391Z',
            status: 'ACTIVE_HEALTHY',
          },
        ],
      },
      dead: { status: 401, body: { message: 'Unauthorized' } },
    },
  }),
  examples: {
    match: [
      'SUPABASE_ACCESS_TOKEN=sbp_b604f4f16c70c7f6c133e753bc89045ab9aa1488',
      'supabase link --project-ref qzvxkpwmtrhnlbdy fails with sbp_03d33d2a4533093d758bf6b3cd4ad9bbfe5e901f, is it expired?',
    ],
    ignore: [
      'SUPABASE_ACCESS_TOKEN=sbp_0000000000000000000000000000000000000000',
      'SUPABASE_ACCESS_TOKEN=sbp_b604f4f16c70c7f6c133e753bc89045ab9aa14',
      'SUPABASE_ACCESS_TOKEN=sbp_<token>',
    ],
  },
};

export const supabaseSecretKey: Detector = {
  id: 'supabase-secret-key',
  name: 'Supabase project secret API key',
  issuer: 'supabase',
  keywords: ['sb_secret_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>sb_secret_[A-Za-z0-9_-]{31,36})(?![A-Za-z0-9_-])/,
  entropy: 3.8,
  // Bypasses row-level security. Checking it needs the project URL; not attempted.
  severity: 'critical',
  examples: {
    match: [
      'SUPABASE_SECRET_KEY=sb_secret_J468KCuJnRFdnnNlRdq-PY_AIMvPYNE',
      'createClient(url, "sb_secret_otVAvtWGFWT5aW-qlIPe59_hivFH-X_") in the edge function',
    ],
    ignore: [
      // publishable keys are meant to be public
      'NEXT_PUBLIC_SUPABASE_ANON_KEY=sb_publishable_J468KCuJnRFdnnNlRdq-PY_AIMvPYNE',
      'SUPABASE_SECRET_KEY=sb_secret_...',
      'SUPABASE_SECRET_KEY=sb_secret_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    ],
  },
};

export const supabaseDetectors: readonly Detector[] = [supabaseManagementToken, supabaseSecretKey];
