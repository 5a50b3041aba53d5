/**
 * What the owner of a leaked credential should do now, per issuer. Plain text
 * (no markup) so every notifier can render it; the steps never mention the
 * secret, only where to manage it.
 */
export interface RotationGuide {
  /** The issuer as people know it ("GitHub", "AWS"). */
  issuerName: string;
  /** The page where this kind of credential is revoked or regenerated. */
  settingsUrl?: string;
  /** The issuer's documentation, when there is no single settings page (per-account URLs, self-hosted). */
  docsUrl?: string;
  /** Ordered steps; the last ones (update consumers, check the audit log) are shared by every guide. */
  steps: readonly string[];
}

interface GuideEntry {
  issuerName: string;
  settingsUrl?: string;
  docsUrl?: string;
  /** Steps that replace the credential at the issuer. */
  steps: readonly string[];
  /** Where the issuer keeps a log of what the credential did, if anywhere. */
  auditLog?: string;
}

const KEY_AUDIT = 'the logs of the hosts and services that trusted the key';
const GITHUB_AUDIT = 'your security log (Settings → Archives → Security log) or the organization audit log';

/** Guides for specific kinds of credential where the issuer-wide guide would send the owner to the wrong page. */
const BY_DETECTOR: Record<string, GuideEntry> = {
  'github-fine-grained-pat': {
    issuerName: 'GitHub',
    settingsUrl: 'https://github.com/settings/personal-access-tokens',
    steps: [
      'Open Settings → Developer settings → Fine-grained tokens and delete the token (or "Regenerate token").',
      'Create a replacement limited to the repositories and permissions the job really needs, with an expiry.',
    ],
    auditLog: GITHUB_AUDIT,
  },
  'github-app-private-key': {
    issuerName: 'GitHub',
    settingsUrl: 'https://github.com/settings/apps',
    steps: [
      'Open the GitHub App\'s settings → "Private keys" and generate a new private key.',
      'Deploy the new key, then delete the leaked key from the same list (the app keeps working with the new one).',
    ],
    auditLog: 'the organization audit log for actions by the app',
  },
  'github-oauth-token': {
    issuerName: 'GitHub',
    settingsUrl: 'https://github.com/settings/applications',
    steps: [
      "Open Settings → Applications → Authorized OAuth Apps and revoke the app's access (this invalidates its tokens).",
      'Authorize the app again if you still need it.',
    ],
    auditLog: GITHUB_AUDIT,
  },
  'gitlab-runner-token': {
    issuerName: 'GitLab',
    docsUrl: 'https://docs.gitlab.com/ci/runners/runners_scope/',
    steps: [
      "Open the project or group → Settings → CI/CD → Runners, and reset the runner's authentication token (or delete the runner).",
      'Register the runner again with the new token.',
    ],
  },
  'gitlab-ci-job-token': {
    issuerName: 'GitLab',
    docsUrl: 'https://docs.gitlab.com/ci/jobs/ci_job_token/',
    steps: [
      'A CI job token only works while its job runs: cancel the job if it is still running.',
      'Remove the step that printed the token from the pipeline so the next run does not leak it again.',
    ],
  },
  'gitlab-deploy-token': {
    issuerName: 'GitLab',
    docsUrl: 'https://docs.gitlab.com/user/project/deploy_tokens/',
    steps: [
      'Open the project or group → Settings → Repository → Deploy tokens and revoke the token.',
      'Create a new deploy token with only the scopes needed.',
    ],
  },
  'gitlab-pipeline-trigger-token': {
    issuerName: 'GitLab',
    docsUrl: 'https://docs.gitlab.com/ci/triggers/',
    steps: [
      'Open the project → Settings → CI/CD → Pipeline trigger tokens and revoke the token.',
      'Create a new trigger token and update whatever calls the trigger.',
    ],
  },
  'slack-incoming-webhook': {
    issuerName: 'Slack',
    settingsUrl: 'https://api.slack.com/apps',
    steps: [
      'Open your app → Incoming Webhooks and remove the leaked webhook URL.',
      'Add a new webhook to the channel and update whatever posts to it.',
    ],
  },
  'slack-workflow-webhook': {
    issuerName: 'Slack',
    docsUrl: 'https://slack.com/help/articles/360041352714',
    steps: [
      'Open the workflow in Workflow Builder and replace its webhook trigger (the old URL stops working).',
      'Update whatever calls the webhook with the new URL.',
    ],
  },
  'slack-session-token': {
    issuerName: 'Slack',
    docsUrl: 'https://slack.com/help/articles/214613347',
    steps: [
      'A session token is a signed-in browser session: sign out of all other sessions from your Slack account settings.',
      'Change your Slack password if the session came from a machine you do not control.',
    ],
  },
  'google-service-account-key': {
    issuerName: 'Google Cloud',
    settingsUrl: 'https://console.cloud.google.com/iam-admin/serviceaccounts',
    steps: [
      'Open IAM & Admin → Service accounts → the account → Keys and create a new key (or move the workload to keyless auth).',
      'Deploy the new key, then delete the leaked key from the same list.',
    ],
    auditLog: 'Cloud Audit Logs for the service account',
  },
  'google-oauth-access-token': {
    issuerName: 'Google',
    settingsUrl: 'https://myaccount.google.com/permissions',
    steps: [
      "Access tokens expire within an hour; remove the app's access from your Google account to stop it being refreshed.",
    ],
  },
  'azure-entra-client-secret': {
    issuerName: 'Microsoft Entra ID',
    settingsUrl: 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade',
    steps: [
      'Open App registrations → the app → Certificates & secrets, add a new client secret and deploy it.',
      'Delete the leaked secret from the same list.',
    ],
    auditLog: 'the Entra sign-in logs for the service principal',
  },
  'private-key-encrypted': {
    issuerName: 'your key infrastructure',
    steps: [
      'The key is passphrase-protected, but assume the passphrase can be guessed: generate a new key pair.',
      'Replace the public key wherever the old one is trusted (authorized_keys, deploy keys, certificates) and remove the old one.',
    ],
    auditLog: KEY_AUDIT,
  },
};

const BY_ISSUER: Record<string, GuideEntry> = {
  github: {
    issuerName: 'GitHub',
    settingsUrl: 'https://github.com/settings/tokens',
    steps: [
      'Open Settings → Developer settings → Personal access tokens and delete the token.',
      'Create a replacement with the fewest scopes that work, with an expiry (prefer a fine-grained token).',
    ],
    auditLog: GITHUB_AUDIT,
  },
  gitlab: {
    issuerName: 'GitLab',
    settingsUrl: 'https://gitlab.com/-/user_settings/personal_access_tokens',
    steps: [
      'Open Preferences → Access tokens (or the project/group → Settings → Access tokens) and revoke the token.',
      'Create a replacement with only the scopes needed and an expiry date. On self-managed GitLab use the same page on your instance.',
    ],
    auditLog: 'the GitLab audit events',
  },
  slack: {
    issuerName: 'Slack',
    settingsUrl: 'https://api.slack.com/apps',
    steps: [
      'Open the app that owns the token → OAuth & Permissions → "Revoke All OAuth Tokens" (or revoke only this token with auth.revoke).',
      'Reinstall the app to the workspace to get a new token; consider turning on token rotation.',
    ],
    auditLog: "the Slack audit logs (Enterprise Grid) or the app's access logs",
  },
  aws: {
    issuerName: 'AWS',
    settingsUrl: 'https://console.aws.amazon.com/iam/home#/security_credentials',
    steps: [
      'In IAM, create a new access key for the user (or move the workload to an IAM role).',
      'Deploy the new key, then deactivate the leaked key and delete it once nothing uses it ("Last used" stops moving).',
    ],
    auditLog: 'CloudTrail for calls made with the access key id',
  },
  npm: {
    issuerName: 'npm',
    docsUrl: 'https://docs.npmjs.com/revoking-access-tokens',
    steps: [
      'Open npmjs.com → your avatar → Access Tokens and delete the token (or run `npm token revoke <id>`).',
      'Create a granular access token limited to the packages and expiry you need.',
    ],
    auditLog: 'the versions published recently for your packages',
  },
  atlassian: {
    issuerName: 'Atlassian',
    settingsUrl: 'https://id.atlassian.com/manage-profile/security/api-tokens',
    steps: [
      'Open your Atlassian account → Security → API tokens and revoke the token (Bitbucket app passwords: Personal settings → App passwords; Data Center: your profile → Personal access tokens).',
      'Create a new token with an expiry date.',
    ],
    auditLog: 'the Atlassian organization audit log',
  },
  google: {
    issuerName: 'Google Cloud',
    settingsUrl: 'https://console.cloud.google.com/apis/credentials',
    steps: [
      'Open APIs & Services → Credentials, regenerate the key or client secret (or delete it and create a new one).',
      'Restrict the new API key to the APIs and callers that need it.',
    ],
    auditLog: 'the API usage metrics and Cloud Audit Logs',
  },
  stripe: {
    issuerName: 'Stripe',
    settingsUrl: 'https://dashboard.stripe.com/apikeys',
    steps: [
      'Open Developers → API keys and "Roll key" on the leaked key, expiring the old one now.',
      'Prefer a restricted key with only the permissions the integration needs.',
    ],
    auditLog: 'the request logs in the Stripe dashboard',
  },
  openai: {
    issuerName: 'OpenAI',
    settingsUrl: 'https://platform.openai.com/api-keys',
    steps: ['Open API keys and revoke the key.', 'Create a new project-scoped key with restricted permissions.'],
    auditLog: 'the usage dashboard for unexpected spend',
  },
  anthropic: {
    issuerName: 'Anthropic',
    settingsUrl: 'https://console.anthropic.com/settings/keys',
    steps: ['Open Settings → API keys and disable or delete the key.', 'Create a new key in the right workspace.'],
    auditLog: 'the usage and cost pages for unexpected spend',
  },
  docker: {
    issuerName: 'Docker',
    settingsUrl: 'https://app.docker.com/settings/personal-access-tokens',
    steps: [
      'Open Account settings → Personal access tokens and delete the token (organization tokens: Admin Console → Access tokens).',
      'Create a new token with read-only access unless pushing is needed.',
    ],
    auditLog: 'the Docker Hub activity logs for pushes you did not make',
  },
  'azure-devops': {
    issuerName: 'Azure DevOps',
    docsUrl:
      'https://learn.microsoft.com/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate',
    steps: [
      'Open https://dev.azure.com/<organization> → User settings → Personal access tokens and revoke the token.',
      'Create a new token scoped to the organization and permissions needed, with a short expiry.',
    ],
    auditLog: 'the organization auditing log',
  },
  azure: {
    issuerName: 'Microsoft Azure',
    settingsUrl: 'https://portal.azure.com/',
    steps: [
      'Open the resource in the Azure portal → Access keys (or Shared access policies) and regenerate the leaked key; SAS tokens: rotate the key that signed them.',
      'Update the consumers to the other key or the regenerated one; prefer managed identities where possible.',
    ],
    auditLog: "the resource's activity and diagnostic logs",
  },
  cloudflare: {
    issuerName: 'Cloudflare',
    settingsUrl: 'https://dash.cloudflare.com/profile/api-tokens',
    steps: ['Open My Profile → API Tokens and roll or delete the token.', 'Create a token scoped to the zones needed.'],
    auditLog: 'the Cloudflare audit log',
  },
  digitalocean: {
    issuerName: 'DigitalOcean',
    settingsUrl: 'https://cloud.digitalocean.com/account/api/tokens',
    steps: ['Open API → Tokens and delete the token.', 'Create a new token with custom scopes and an expiry.'],
    auditLog: 'the team security history',
  },
  datadog: {
    issuerName: 'Datadog',
    settingsUrl: 'https://app.datadoghq.com/organization-settings/api-keys',
    steps: [
      "Open Organization settings → API keys (or Application keys) and revoke the key (use your Datadog site's domain if not US1).",
      'Create a new key and update the agents or integrations.',
    ],
    auditLog: 'the Datadog audit trail',
  },
  sendgrid: {
    issuerName: 'SendGrid',
    settingsUrl: 'https://app.sendgrid.com/settings/api_keys',
    steps: ['Open Settings → API Keys and delete the key.', 'Create a restricted-access key for the sender.'],
    auditLog: 'the email activity feed for mail you did not send',
  },
  twilio: {
    issuerName: 'Twilio',
    settingsUrl: 'https://console.twilio.com/',
    steps: [
      'Open Account → API keys & tokens: delete a leaked API key, or request a secondary auth token and promote it to replace a leaked auth token.',
      'Update the applications using it.',
    ],
    auditLog: 'the Twilio monitor logs',
  },
  pypi: {
    issuerName: 'PyPI',
    settingsUrl: 'https://pypi.org/manage/account/',
    steps: [
      'Open Account settings → API tokens and remove the token.',
      'Prefer trusted publishing from CI; otherwise create a token scoped to one project.',
    ],
    auditLog: 'the security history of your account and projects',
  },
  huggingface: {
    issuerName: 'Hugging Face',
    settingsUrl: 'https://huggingface.co/settings/tokens',
    steps: ['Open Settings → Access Tokens and invalidate or delete the token.', 'Create a fine-grained token.'],
  },
  heroku: {
    issuerName: 'Heroku',
    settingsUrl: 'https://dashboard.heroku.com/account',
    steps: [
      'Open Account settings → API Key → "Regenerate API Key" (OAuth authorizations: Applications → revoke).',
      'Update the tools that use it.',
    ],
  },
  vercel: {
    issuerName: 'Vercel',
    settingsUrl: 'https://vercel.com/account/tokens',
    steps: [
      'Open Account settings → Tokens and delete the token.',
      'Create a token scoped to one team, with an expiry.',
    ],
  },
  sentry: {
    issuerName: 'Sentry',
    settingsUrl: 'https://sentry.io/settings/account/api/auth-tokens/',
    steps: [
      "Open User settings → Auth Tokens (or the organization's tokens) and revoke the token.",
      'Create a new token.',
    ],
    auditLog: 'the organization audit log',
  },
  circleci: {
    issuerName: 'CircleCI',
    settingsUrl: 'https://app.circleci.com/settings/user/tokens',
    steps: [
      "Open User settings → Personal API Tokens (or the project's API permissions) and remove the token.",
      'Create a new token.',
    ],
    auditLog: 'the CircleCI audit log',
  },
  buildkite: {
    issuerName: 'Buildkite',
    settingsUrl: 'https://buildkite.com/user/api-access-tokens',
    steps: [
      "Open Personal settings → API Access Tokens and revoke the token (agent tokens: the cluster's agent tokens page).",
      'Create a new token.',
    ],
    auditLog: 'the Buildkite audit log',
  },
  terraform: {
    issuerName: 'HCP Terraform',
    settingsUrl: 'https://app.terraform.io/app/settings/tokens',
    steps: [
      'Open User settings → Tokens (or the team/organization token) and delete the token.',
      'Create a new token with an expiry.',
    ],
  },
  discord: {
    issuerName: 'Discord',
    settingsUrl: 'https://discord.com/developers/applications',
    steps: [
      'Bot token: open the application → Bot → "Reset Token". Webhook: Channel settings → Integrations → Webhooks → delete it.',
      'Update the bot or the sender.',
    ],
  },
  mailgun: {
    issuerName: 'Mailgun',
    settingsUrl: 'https://app.mailgun.com/settings/api_security',
    steps: ['Open API security and delete the key.', 'Create a new key (prefer a domain sending key).'],
  },
  telegram: {
    issuerName: 'Telegram',
    docsUrl: 'https://core.telegram.org/bots/features#botfather',
    steps: ['Send /revoke to @BotFather and choose the bot to get a new token.', 'Update the bot.'],
  },
  'hashicorp-vault': {
    issuerName: 'HashiCorp Vault',
    docsUrl: 'https://developer.hashicorp.com/vault/docs/commands/token/revoke',
    steps: [
      'Revoke the token on your Vault server (`vault token revoke -accessor <accessor>`), including its children.',
      'Issue a new token with a short TTL from the auth method the workload should use.',
    ],
    auditLog: 'the Vault audit device',
  },
  'private-key': {
    issuerName: 'your key infrastructure',
    steps: [
      'Generate a new key pair; the leaked private key cannot be made secret again.',
      'Replace the public key wherever the old one is trusted (authorized_keys, deploy keys, TLS certificates — revoke those) and remove the old one.',
    ],
    auditLog: KEY_AUDIT,
  },
  generic: {
    issuerName: 'the service it belongs to',
    steps: [
      'Change the password or regenerate the key at the service it belongs to.',
      'If you are unsure what it is for, ask the security channel before deleting it.',
    ],
    auditLog: "the service's access logs",
  },
  'uri-credentials': {
    issuerName: 'the service in the URL',
    steps: ['Change the password of the account in the URL at that service (database, broker, registry…).'],
    auditLog: "the service's access logs",
  },
  jwt: {
    issuerName: 'the service that issued it',
    steps: [
      'A JWT stays valid until it expires: ask the issuing service to revoke the session, or rotate its signing key if the token is long-lived.',
    ],
    auditLog: "the issuing service's logs",
  },
};

/** "azure-devops" → "Azure Devops": a readable name for issuers without their own guide. */
function titleCase(issuer: string): string {
  return issuer
    .split(/[-_\s]+/)
    .filter((w) => w.length > 0)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}

/**
 * The steps for one finding's credential: a detector-specific guide where the
 * issuer-wide one would point to the wrong page, else the issuer's, else a
 * generic guide naming the issuer.
 *
 * @example rotationGuideFor({ issuer: 'github', detectorId: 'github-classic-pat' }).settingsUrl
 *   // 'https://github.com/settings/tokens'
 */
export function rotationGuideFor(credential: { issuer: string; detectorId: string }): RotationGuide {
  const entry = BY_DETECTOR[credential.detectorId] ?? BY_ISSUER[credential.issuer];
  const issuerName = entry?.issuerName ?? titleCase(credential.issuer);
  const replace = entry?.steps ?? [
    `Sign in to ${issuerName} and revoke or delete this credential (its redacted form shows how it ends).`,
    'Create a replacement with the least privilege that works, and an expiry if the issuer supports one.',
  ];
  const steps = [
    ...replace,
    'Update every place that uses it (CI/CD variables, secret stores, deployment config) with the new value.',
    `Check ${entry?.auditLog ?? `${issuerName}'s logs`} for use you do not recognise since it was posted.`,
  ];
  return {
    issuerName,
    ...(entry?.settingsUrl ? { settingsUrl: entry.settingsUrl } : {}),
    ...(entry?.docsUrl ? { docsUrl: entry.docsUrl } : {}),
    steps,
  };
}
