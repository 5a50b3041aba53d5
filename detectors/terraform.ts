import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

const JSON_API = { 'content-type': 'application/vnd.api+json' } as const;

/**
 * `GET https://app.terraform.io/api/v2/account/details`
 * (developer.hashicorp.com/terraform/cloud-docs/api-docs/account#get-your-account-details,
 * tokens.md #20): the user (or, for team and organization tokens, the service
 * account) behind the token. 401 dead. HCP Terraform only: a Terraform
 * Enterprise or EU-region token is unknown to app.terraform.io and reads as dead.
 */
const terraformAccountDetails = httpVerifier({
  // GitHub Enterprise Server / GitLab self-managed / Terraform Enterprise issue the same format.
  selfHostedEdition: true,
  hosts: ['app.terraform.io'],
  request: (secret) => ({
    url: 'https://app.terraform.io/api/v2/account/details',
    headers: { authorization: secretText`Bearer ${secret}`, accept: 'application/vnd.api+json' },
  }),
  deadStatus: [401],
  facts: (response) => {
    const account = field(response.body, 'data', 'attributes', 'username');
    const service = (response.body as { data?: { attributes?: { 'is-service-account'?: unknown } } } | null)?.data
      ?.attributes?.['is-service-account'];
    return {
      ...(account !== undefined ? { account } : {}),
      ...(typeof service === 'boolean' ? { details: { 'is-service-account': String(service) } } : {}),
    };
  },
  fixtures: {
    live: {
      status: 200,
      headers: JSON_API,
      body: {
        data: {
          id: 'user-V3R563qtJNcExAkN',
          type: 'users',
          attributes: {
            username: 'jdoe-acme',
            'is-service-account': false,
            email: 'jane.doe@acme.io',
            'unconfirmed-email': null,
            'avatar-url': 'https://www.gravatar.com/avatar/2b6d4f0c8a91e3d7?s=100&d=mm',
            'v2-only': true,
            'is-site-admin': false,
            'is-sso-login': false,
            permissions: { 'can-create-organizations': true, 'can-change-email': true, 'can-change-username': true },
          },
          relationships: {
            'authentication-tokens': {
              links: { related: '/api/v2/users/user-V3R563qtJNcExAkN/authentication-tokens' },
            },
          },
          links: { self: '/api/v2/users/user-V3R563qtJNcExAkN' },
        },
      },
    },
    dead: { status: 401, headers: JSON_API, body: { errors: [{ status: '401', title: 'unauthorized' }] } },
  },
});

/** Terraform Cloud / Enterprise user, team and organization tokens: `<14>.atlasv1.<60–70>`. */
export const terraformCloudToken: Detector = {
  id: 'terraform-cloud-token',
  name: 'Terraform Cloud / Enterprise API token',
  issuer: 'terraform',
  keywords: ['.atlasv1.'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})(?![A-Za-z0-9_=-])/,
  entropy: 3.5,
  severity: 'critical',
  verify: terraformAccountDetails,
  examples: {
    match: [
      'credentials "app.terraform.io" {\n  token = "yluvsSvkroP7mU.atlasv1.uFiRWEF6HC6CLbRlhzKYHLigGjJ42PeLERvpusLSdwjDrbxS74C5CdO94qDv6jphbbu"\n}',
      'TF_TOKEN_app_terraform_io=fs2pS8JgM4EbA2.atlasv1.xmJADMoCzE6vOyBipGifaU5WNVkcgvlrSBD5V9ZWN6gJ9HFZoYCqGUcT53ApBzqqGSy',
    ],
    ignore: [
      'TF_TOKEN_app_terraform_io=xxxxxxxxxxxxxx.atlasv1.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'TF_TOKEN_app_terraform_io=yluvsSvkroP7mU.atlasv1.uFiRWEF6HC6CLbRlhzKYHLigGjJ42PeLERvpu',
      'tokens look like <id>.atlasv1.<secret>',
    ],
  },
};

export const terraformDetectors: readonly Detector[] = [terraformCloudToken];
