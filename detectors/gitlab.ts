import type { Detector } from '../src/core/detector.ts';
import type { SafeResponse, VerificationFacts } from '../src/core/verification.ts';
import { hasGitlabRoutableCrc } from '../src/detection/checksums.ts';
import { field, httpRevoker, httpVerifier } from '../src/verification/http-verifier.ts';
import { formBody } from '../src/verification/sensitive.ts';

/**
 * Checks go to gitlab.com only: a token of a self-managed instance reads as
 * dead there, so leakwatch never sends it to an address taken from the text.
 */
const GITLAB_HOSTS = ['gitlab.com'] as const;
const JSON_HEADERS = { 'content-type': 'application/json' } as const;
const GITLAB_UNAUTHORIZED = { status: 401, headers: JSON_HEADERS, body: { message: '401 Unauthorized' } };

/** Scopes that act with full API, admin or impersonation power. */
const GITLAB_PRIVILEGED_SCOPES: ReadonlySet<string> = new Set(['api', 'sudo', 'admin_mode']);

/** Facts from `GET /personal_access_tokens/self`: token name, owner id, scopes, expiry date. */
export function gitlabTokenFacts(response: SafeResponse): VerificationFacts {
  const body = response.body as { scopes?: unknown } | null;
  const scopes = Array.isArray(body?.scopes) ? body.scopes.filter((s): s is string => typeof s === 'string') : [];
  const userId = field(response.body, 'user_id');
  const expiresAt = field(response.body, 'expires_at');
  const name = field(response.body, 'name');
  return {
    ...(userId !== undefined ? { account: `user ${userId}` } : {}),
    scopes,
    ...(expiresAt !== undefined ? { expiresAt } : {}),
    ...(scopes.some((scope) => GITLAB_PRIVILEGED_SCOPES.has(scope)) ? { privileged: true } : {}),
    ...(name !== undefined ? { details: { name } } : {}),
  };
}

/**
 * `GET https://gitlab.com/api/v4/personal_access_tokens/self`
 * (docs.gitlab.com/api/personal_access_tokens#get-details-on-a-personal-access-token,
 * tokens.md #6–7): the token describes itself; also answers for project and
 * group access tokens, which share the prefix. 401 dead (revoked, expired or
 * unknown); 403 (a scope problem) stays unknown.
 */
const gitlabTokenSelfVerifier = httpVerifier({
  // GitHub Enterprise Server / GitLab self-managed / Terraform Enterprise issue the same format.
  selfHostedEdition: true,
  hosts: GITLAB_HOSTS,
  request: (secret) => ({
    url: 'https://gitlab.com/api/v4/personal_access_tokens/self',
    headers: { 'private-token': secret },
  }),
  deadStatus: [401],
  confirm: (response) => {
    const body = response.body as { active?: unknown; revoked?: unknown } | null;
    return body?.active === false || body?.revoked === true ? 'dead' : true;
  },
  facts: gitlabTokenFacts,
  fixtures: {
    live: {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        id: 11840273,
        name: 'terraform-ci',
        revoked: false,
        created_at: '2026-02-03T10:21:44.120Z',
        description: 'state backend and MR comments',
        scopes: ['api', 'read_repository'],
        user_id: 4821936,
        last_used_at: '2026-06-12T07:55:02.481Z',
        active: true,
        expires_at: '2026-12-31',
      },
    },
    dead: {
      status: 401,
      headers: JSON_HEADERS,
      body: { error: 'invalid_token', error_description: 'Token was revoked. You have to re-authenticate.' },
    },
  },
});

/**
 * `DELETE https://gitlab.com/api/v4/personal_access_tokens/self`
 * (docs.gitlab.com/api/personal_access_tokens#using-a-request-header, GitLab
 * 15.0+, tokens.md #6–7): the token revokes itself, 204.
 */
const gitlabTokenSelfRevoker = httpRevoker({
  hosts: GITLAB_HOSTS,
  request: (secret) => ({
    method: 'DELETE',
    url: 'https://gitlab.com/api/v4/personal_access_tokens/self',
    headers: { 'private-token': secret },
  }),
  revokedStatus: [204],
  invalidStatus: [401],
  fixtures: {
    revoked: { status: 204 },
    failed: { status: 403, headers: JSON_HEADERS, body: { message: '403 Forbidden' } },
  },
});

/**
 * `POST https://gitlab.com/api/v4/runners/verify` with `token=`
 * (docs.gitlab.com/api/runners#verify-authentication-for-a-registered-runner,
 * tokens.md #8): 200 live, 403 dead. Sent without `system_id`, which would
 * record a runner manager; never `DELETE /runners`, which removes the runner.
 */
const gitlabRunnerVerifier = httpVerifier({
  // GitHub Enterprise Server / GitLab self-managed / Terraform Enterprise issue the same format.
  selfHostedEdition: true,
  hosts: GITLAB_HOSTS,
  request: (secret) => ({
    method: 'POST',
    url: 'https://gitlab.com/api/v4/runners/verify',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: formBody({ token: secret }),
  }),
  deadStatus: [403],
  facts: (response) => {
    const id = field(response.body, 'id');
    const expiresAt = field(response.body, 'token_expires_at');
    return {
      ...(id !== undefined ? { account: `runner ${id}` } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    };
  },
  fixtures: {
    // The real answer also echoes the token; left out here.
    live: { status: 200, headers: JSON_HEADERS, body: { id: 31891472, token_expires_at: null } },
    dead: { status: 403, headers: JSON_HEADERS, body: { message: '403 Forbidden' } },
  },
});

/**
 * `GET https://gitlab.com/api/v4/job` with `JOB-TOKEN`
 * (docs.gitlab.com/api/jobs#get-job-tokens-job, tokens.md #9): the running job
 * the token belongs to. 401 once the job has finished.
 */
const gitlabJobVerifier = httpVerifier({
  // GitHub Enterprise Server / GitLab self-managed / Terraform Enterprise issue the same format.
  selfHostedEdition: true,
  hosts: GITLAB_HOSTS,
  request: (secret) => ({ url: 'https://gitlab.com/api/v4/job', headers: { 'job-token': secret } }),
  deadStatus: [401],
  facts: (response) => {
    const account = field(response.body, 'user', 'username');
    const details = Object.fromEntries(
      (['id', 'status', 'ref', 'web_url'] as const).flatMap((key) => {
        const value = field(response.body, key);
        return value === undefined ? [] : [[key === 'id' ? 'job' : key, value]];
      }),
    );
    return { ...(account !== undefined ? { account } : {}), details };
  },
  fixtures: {
    live: {
      status: 200,
      headers: JSON_HEADERS,
      body: {
        id: 7719003412,
        status: 'running',
        stage: 'deploy',
        name: 'deploy:production',
        ref: 'main',
        tag: false,
        created_at: '2026-06-16T09:58:11.204Z',
        started_at: '2026-06-16T09:58:40.017Z',
        user: { id: 4821936, username: 'jdoe', name: 'Jane Doe', state: 'active' },
        pipeline: { id: 1873340921, project_id: 42, ref: 'main', status: 'running' },
        web_url: 'https://gitlab.com/acme/app/-/jobs/7719003412',
      },
    },
    dead: GITLAB_UNAUTHORIZED,
  },
});

/**
 * Routable tokens (GitLab 17.7+): `<prefix><base64url payload, 27–300>.<version>.<base36 payload length><CRC>`,
 * where the CRC is 7 base36 chars of the CRC32 of everything before it, prefix included; tokens issued before the
 * version field lack `<version>.`. Source: gitlab `lib/authn/token_field/generator/routable_token.rb`.
 */
const ROUTABLE_BODY = String.raw`[\w-]{27,300}\.(?:[0-9a-z]{2}\.)?[0-9a-z]{9}`;

/**
 * The pattern only takes the run of token characters (`.` included) after the
 * prefix; `validate` checks the exact layout. Spelling the layout out in the
 * pattern would make every failed candidate backtrack through the long payload
 * run, which turns quadratic on text that repeats the prefix.
 */
function gitlabPattern(prefix: string, minLength: number, maxLength = 330): RegExp {
  return new RegExp(String.raw`(?<![A-Za-z0-9_])(?<secret>${prefix}[\w.-]{${minLength - 1},${maxLength - 1}}[\w-])`);
}

/**
 * Accepts the kind's legacy body (no check exists for it) or, as GitLab moves
 * more token kinds to the routable format, a routable body with a valid CRC.
 */
function gitlabValidator(prefix: string, legacyBody?: string): (secret: string) => boolean {
  const legacy = legacyBody === undefined ? undefined : new RegExp(`^${prefix}${legacyBody}$`);
  const routable = new RegExp(`^${prefix}${ROUTABLE_BODY}$`);
  return (secret) => legacy?.test(secret) === true || (routable.test(secret) && hasGitlabRoutableCrc(secret));
}

export const gitlabPat: Detector = {
  id: 'gitlab-pat',
  name: 'GitLab personal access token (legacy)',
  issuer: 'gitlab',
  keywords: ['glpat-'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>glpat-[\w-]{20})(?![\w-])/,
  entropy: 3,
  severity: 'critical',
  verify: gitlabTokenSelfVerifier,
  revoke: gitlabTokenSelfRevoker,
  examples: {
    match: [
      'curl --header "PRIVATE-TOKEN: glpat-Frm1kp11BBH4EAKA2yIs" https://gitlab.example.com/api/v4/projects',
      'git clone https://oauth2:glpat-Frm1kp11BBH4EAKA2yIs@gitlab.com/acme/infra.git',
    ],
    ignore: [
      'PRIVATE-TOKEN: glpat-xxxxxxxxxxxxxxxxxxxx',
      'PRIVATE-TOKEN: glpat-Frm1kp11BBH4EA',
      // routable tokens belong to gitlab-pat-routable
      'PRIVATE-TOKEN: glpat-YzoxCm86NWsKdTo5eDF6w861FsapdBHkWhwbUTXeqhA.01.171c2g6y2',
    ],
  },
};

export const gitlabPatRoutable: Detector = {
  id: 'gitlab-pat-routable',
  name: 'GitLab personal access token (routable)',
  issuer: 'gitlab',
  keywords: ['glpat-'],
  pattern: gitlabPattern('glpat-', 37),
  window: { after: 400 },
  validate: gitlabValidator('glpat-'),
  severity: 'critical',
  verify: gitlabTokenSelfVerifier,
  revoke: gitlabTokenSelfRevoker,
  examples: {
    match: [
      'GITLAB_TOKEN=glpat-YzoxCm86NWsKdTo5eDF6w861FsapdBHkWhwbUTXeqhA.01.171c2g6y2',
      'new token from the profile page: glpat-bzoyZgp1OjFyazSVK8k86TaUTZUu4XEzEbthEA.121p1iemb. Scopes api, write_repository',
    ],
    ignore: [
      // CRC does not hold
      'GITLAB_TOKEN=glpat-YzoxCm86NWsKdTo5eDF6w861FsapdBHkWhwbUTXeqhA.01.171c2g6y3',
      'GITLAB_TOKEN=glpat-xxxxxxxx-xxxxxxxxxxxxxxxxxx.xxxxxxxxx',
      'GITLAB_TOKEN=glpat-Frm1kp11BBH4EAKA2yIs',
    ],
  },
};

export const gitlabRunnerToken: Detector = {
  id: 'gitlab-runner-token',
  name: 'GitLab runner authentication token',
  issuer: 'gitlab',
  keywords: ['glrt-'],
  pattern: gitlabPattern('glrt-', 20),
  window: { after: 400 },
  validate: gitlabValidator('glrt-', String.raw`[\w-]{20}`),
  entropy: 3,
  severity: 'critical',
  verify: gitlabRunnerVerifier,
  examples: {
    match: [
      '[[runners]]\n  url = "https://gitlab.com"\n  token = "glrt-GfCOIwitpTm_a41jXTqn"',
      'gitlab-runner register --url https://gitlab.com --token glrt-t1_YzoxCm86Mwp0OjH6MDm6PsxVD5TDbiCMBwTfEA.01.12065kbg9',
    ],
    ignore: [
      'token = "glrt-t1_YzoxCm86Mwp0OjH6MDm6PsxVD5TDbiCMBwTfEA.01.12065kbg0"',
      'token = "glrt-GfCOIwitpTm_"',
      'token = "glrt-REPLACE_ME_WITH_TOKEN"',
    ],
  },
};

const JOB_TOKEN = /^glcbt-(?:[0-9a-f]{1,5}_[\w-]{20}|eyJ[\w-]{10,600}\.eyJ[\w-]{10,2000}\.[\w-]{20,700})$/;

export const gitlabCiJobToken: Detector = {
  id: 'gitlab-ci-job-token',
  name: 'GitLab CI/CD job token',
  issuer: 'gitlab',
  keywords: ['glcbt-'],
  // `<partition id in hex>_<20>`, or the JWT form GitLab is moving job tokens to.
  pattern: gitlabPattern('glcbt-', 22, 3400),
  window: { after: 3500 },
  validate: (secret) => JOB_TOKEN.test(secret),
  entropy: 3,
  // Valid only while the job runs.
  severity: 'medium',
  verify: gitlabJobVerifier,
  examples: {
    match: [
      'the job log echoed JOB-TOKEN: glcbt-64_EdujMsCcQQ1eUxOZPQ5A before failing',
      'CI_JOB_TOKEN=glcbt-eyJraWQiOiJXWFZGWHVuQloxZWF1LXpxZ0RXSDIzMWd5VTVrSXNBaHlYZG9wc0JzazRhIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYifQ.eyJ2ZXJzaW9uIjoiMC4xLjAiLCJvIjoiOXgiLCJ1IjoiMWt6IiwicCI6IjRoZCIsImp0aSI6IjkxYThhMGZhLWU0NjQtNDk0OC04MTFhLWJkZjE5MGYzZTg2MiIsImF1ZCI6ImdpdGxhYi1hdXRoei10b2tlbiIsInN1YiI6ImdpZDovL2dpdGxhYi9DaTo6QnVpbGQvNzcxOTAwMzQxMiIsImlzcyI6ImdpdGxhYi5jb20iLCJpYXQiOjE3ODE2MDAwMDAsIm5iZiI6MTc4MTU5OTk5NSwiZXhwIjoxNzgxNjAzNjAwfQ.rUnzIlYaZwEE0cV4icPkFSR4nM7vcz5Q2Bow_aGDI5s9oMFNREV53bIrn09pxSIsnXDBKeqC4LSWEpL9nhC-RjX9aeeR50LiSO_i6DGjzsFBSIqnLlll0DumJpdHTjKxTnJIFCQnku1onu_GZNPCF1Z2OE5b79F7Amv9Hxez0JtK4eyCLJ_90k9xnbpPupfEIG8NkbzZ78JLVytZeWg_UaOAz0eMLuC_JtCFwT3fS1xMGZgfcH3zGgSUcAcJOa4CT1CL6Yf8ZvbwXXM8qVXDVDbuE1FTg6LYmtWL9hGw01I9zHw6MfD3dd-hqLxfBdQzJDWL5jL6ku1PB2Rercx2DQ',
    ],
    ignore: [
      'curl --header "JOB-TOKEN: $CI_JOB_TOKEN" "$CI_API_V4_URL/job"',
      'JOB-TOKEN: glcbt-64_64_EdujMsCcQ',
      'CI_JOB_TOKEN=glcbt-eyJraWQiOiJXWFZGWHVuQloxZWF1LXpxZ0RXSDIzMWd5VTVrSXNBaHlYZG9wc0JzazRhIiwidHlwIjoiSldUIiwiYWxnIjoiUlMyNTYifQ',
    ],
  },
};

export const gitlabPipelineTriggerToken: Detector = {
  id: 'gitlab-pipeline-trigger-token',
  name: 'GitLab pipeline trigger token',
  issuer: 'gitlab',
  keywords: ['glptt-'],
  pattern: gitlabPattern('glptt-', 40),
  window: { after: 400 },
  validate: gitlabValidator('glptt-', '[0-9a-f]{40}'),
  entropy: 3,
  severity: 'high',
  // No liveness check: the only call that accepts it starts a pipeline.
  examples: {
    match: [
      'curl -X POST -F token=glptt-90c1bdb17550b8dedc550f22db25cf5c8265cc95 -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline',
      'TRIGGER_TOKEN: "glptt-90c1bdb17550b8dedc550f22db25cf5c8265cc95"',
    ],
    ignore: [
      'TRIGGER_TOKEN: glptt-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'TRIGGER_TOKEN: glptt-90c1bdb17550b8dedc550f22db25cf5c8265cc9',
      'TRIGGER_TOKEN: glptt-${TRIGGER}',
    ],
  },
};

export const gitlabDeployToken: Detector = {
  id: 'gitlab-deploy-token',
  name: 'GitLab deploy token',
  issuer: 'gitlab',
  keywords: ['gldt-'],
  pattern: gitlabPattern('gldt-', 20),
  window: { after: 400 },
  validate: gitlabValidator('gldt-', String.raw`[\w-]{20}`),
  entropy: 3,
  severity: 'critical',
  examples: {
    match: [
      'docker login registry.gitlab.com -u gitlab+deploy-token-12 -p gldt-L9Ll7J-9ptoVIoJfV1iG',
      'deploy token for the helm chart repo: gldt-L9Ll7J-9ptoVIoJfV1iG',
    ],
    ignore: [
      'docker login -u gitlab+deploy-token-12 -p gldt-xxxxxxxxxxxxxxxxxxxx',
      'docker login -p gldt-L9Ll7J-9pt',
      'deploy tokens start with gldt-',
    ],
  },
};

export const gitlabFeedToken: Detector = {
  id: 'gitlab-feed-token',
  name: 'GitLab feed token',
  issuer: 'gitlab',
  keywords: ['glft-'],
  pattern: gitlabPattern('glft-', 20),
  window: { after: 400 },
  validate: gitlabValidator('glft-', String.raw`[\w-]{20}`),
  entropy: 3,
  // Read-only RSS/calendar feeds.
  severity: 'medium',
  examples: {
    match: [
      'subscribe to https://gitlab.com/acme/app/-/issues.atom?feed_token=glft-N2_jJ9mEJ1-sAzKW9Vay&state=opened',
      'calendar: https://gitlab.com/dashboard/issues.ics?feed_token=glft-N2_jJ9mEJ1-sAzKW9Vay',
    ],
    ignore: [
      'issues.atom?feed_token=glft-xxxxxxxxxxxxxxxxxxxx',
      'issues.atom?feed_token=glft-N2_jJ9mE',
      'issues.atom?feed_token={{ feed_token }}',
    ],
  },
};

export const gitlabFeatureFlagsClientToken: Detector = {
  id: 'gitlab-feature-flags-client-token',
  name: 'GitLab feature flags client token',
  issuer: 'gitlab',
  keywords: ['glffct-'],
  pattern: gitlabPattern('glffct-', 20),
  window: { after: 400 },
  validate: gitlabValidator('glffct-', String.raw`[\w-]{20}`),
  entropy: 3,
  // Reveals feature flag names and user lists only.
  severity: 'low',
  examples: {
    match: [
      'UNLEASH_INSTANCE_ID=glffct-HRPmhW2CMUtZymbpu7T5',
      'unleash client config: { url: "https://gitlab.com/api/v4/feature_flags/unleash/42", instanceId: "glffct-HRPmhW2CMUtZymbpu7T5" }',
    ],
    ignore: [
      'UNLEASH_INSTANCE_ID=glffct-xxxxxxxxxxxxxxxxxxxx',
      'UNLEASH_INSTANCE_ID=glffct-HRPmhW2CMUtZymb',
      'UNLEASH_INSTANCE_ID=glffct-HRPmhW2CMUtZymbpu7T5a',
    ],
  },
};

export const gitlabScimToken: Detector = {
  id: 'gitlab-scim-token',
  name: 'GitLab SCIM token',
  issuer: 'gitlab',
  keywords: ['glsoat-'],
  pattern: gitlabPattern('glsoat-', 20),
  window: { after: 400 },
  validate: gitlabValidator('glsoat-', String.raw`[\w-]{20}`),
  entropy: 3,
  // Provisions and removes group members.
  severity: 'critical',
  examples: {
    match: [
      'Okta SCIM app, API token field: glsoat-Do_fKwcupEQHyFXduzkk',
      'Authorization: Bearer glsoat-Do_fKwcupEQHyFXduzkk',
    ],
    ignore: [
      'Authorization: Bearer glsoat-xxxxxxxxxxxxxxxxxxxx',
      'Authorization: Bearer glsoat-Do_fKwcupEQ',
      'Authorization: Bearer glsoat-<your-scim-token>',
    ],
  },
};

export const gitlabIncomingMailToken: Detector = {
  id: 'gitlab-incoming-mail-token',
  name: 'GitLab incoming mail token',
  issuer: 'gitlab',
  keywords: ['glimt-'],
  // Also found inside Service Desk addresses: incoming+<project>-<id>-<token>-issue@…
  pattern: /(?<![A-Za-z0-9_])(?<secret>glimt-[\w-]{25})(?:(?![\w-])|(?=-(?:issue|merge-request)@))/,
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'send issues to incoming+acme-app-42-glimt-wTrfxgz73u3mM8iUBkg7eF4Bq-issue@incoming.gitlab.com',
      'the service desk address contains glimt-wTrfxgz73u3mM8iUBkg7eF4Bq',
    ],
    ignore: [
      'incoming+acme-app-42-glimt-xxxxxxxxxxxxxxxxxxxxxxxxx-issue@incoming.gitlab.com',
      'incoming+acme-app-42-glimt-wTrfxgz73u3mM8iUBkg7-issue@incoming.gitlab.com',
      'incoming mail tokens start with glimt-',
    ],
  },
};

export const gitlabAgentToken: Detector = {
  id: 'gitlab-agent-token',
  name: 'GitLab agent for Kubernetes token',
  issuer: 'gitlab',
  keywords: ['glagent-'],
  pattern: gitlabPattern('glagent-', 50),
  window: { after: 400 },
  validate: gitlabValidator('glagent-', String.raw`[\w-]{50}`),
  entropy: 3,
  severity: 'critical',
  examples: {
    match: [
      'helm upgrade --install gitlab-agent gitlab/gitlab-agent --set config.token=glagent-qoPaOvGn-lzylyCRJq8UFHcWfQsjCsRrP_qsL3Zgm6vDBXEFmI',
      'agent token: glagent-qoPaOvGn-lzylyCRJq8UFHcWfQsjCsRrP_qsL3Zgm6vDBXEFmI',
    ],
    ignore: [
      '--set config.token=glagent-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      '--set config.token=glagent-qoPaOvGn-lzylyCRJq8UFHcWfQsjCs',
      '--set config.token=${GITLAB_AGENT_TOKEN}',
    ],
  },
};

export const gitlabOauthAppSecret: Detector = {
  id: 'gitlab-oauth-app-secret',
  name: 'GitLab OAuth application secret',
  issuer: 'gitlab',
  keywords: ['gloas-'],
  pattern: gitlabPattern('gloas-', 64),
  window: { after: 400 },
  validate: gitlabValidator('gloas-', String.raw`[\w-]{64}`),
  entropy: 3,
  severity: 'high',
  examples: {
    match: [
      'GITLAB_CLIENT_SECRET=gloas-7UNRqTM4u8HVaqLiTvt2asMBi2X0skYIRp1MUvp3_skWEf9UDNFsBPVTDe_82ret',
      "gitlab_rails['omniauth_providers'] = [{ name: 'gitlab', app_secret: 'gloas-7UNRqTM4u8HVaqLiTvt2asMBi2X0skYIRp1MUvp3_skWEf9UDNFsBPVTDe_82ret' }]",
    ],
    ignore: [
      'GITLAB_CLIENT_SECRET=gloas-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'GITLAB_CLIENT_SECRET=gloas-7UNRqTM4u8HVaqLiTvt2asMBi2X0skYIRp1MUvp3',
      'GITLAB_CLIENT_SECRET=gloas-7UNRqTM4u8HVaqLiTvt2asMBi2X0skYIRp1MUvp3_skWEf9UDNFsBPVTDe_82ret0',
    ],
  },
};

export const gitlabRunnerRegistrationToken: Detector = {
  id: 'gitlab-runner-registration-token',
  name: 'GitLab runner registration token',
  issuer: 'gitlab',
  keywords: ['GR1348941'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>GR1348941[\w-]{20})(?![\w-])/,
  entropy: 3,
  // Deprecated, but still registers runners that receive CI jobs and their secrets.
  severity: 'high',
  // No liveness check: the only call that accepts it registers a runner.
  examples: {
    match: [
      'gitlab-runner register --non-interactive --url https://gitlab.com --registration-token GR1348941RFe5vx4A5PM-bogLSpai',
      'REGISTRATION_TOKEN=GR1348941RFe5vx4A5PM-bogLSpai',
    ],
    ignore: [
      'REGISTRATION_TOKEN=GR1348941XXXXXXXXXXXXXXXXXXXX',
      'REGISTRATION_TOKEN=GR134894112312312312312312312',
      'REGISTRATION_TOKEN=GR1348941RFe5vx4A5',
    ],
  },
};

export const gitlabDetectors: readonly Detector[] = [
  gitlabPat,
  gitlabPatRoutable,
  gitlabRunnerToken,
  gitlabCiJobToken,
  gitlabPipelineTriggerToken,
  gitlabDeployToken,
  gitlabFeedToken,
  gitlabFeatureFlagsClientToken,
  gitlabScimToken,
  gitlabIncomingMailToken,
  gitlabAgentToken,
  gitlabOauthAppSecret,
  gitlabRunnerRegistrationToken,
];
