/**
 * Generators of fresh, random, format-valid credentials (with correct checksums
 * where the format has one), each embedded in a sentence someone might really
 * post. Every value is synthetic: none was ever issued by a vendor.
 */
import { createHash } from 'node:crypto';
import {
  githubFineGrainedScore,
  hasBase62Crc32,
  hasGitlabRoutableCrc,
  withBase62Crc32,
  withGitlabRoutableCrc,
} from '../src/detection/checksums.ts';
import { ed25519Pkcs8Pem, opensshEd25519Pem, rsaPrivateKeyPem } from './private-keys.ts';
import { ALNUM, BASE32, BASE64URL, DIGITS, HEX, type Rng, UPPER_ALNUM } from './rng.ts';

/** A planted credential's span, relative to the fragment (or, once placed, to the document). */
export interface PlantedSpan {
  family: string;
  start: number;
  end: number;
}

export interface Fragment {
  text: string;
  planted: PlantedSpan[];
}

interface Token {
  family: string;
  value: string;
}

type Part = string | Token;

function assemble(parts: readonly Part[]): Fragment {
  let text = '';
  const planted: PlantedSpan[] = [];
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
    } else {
      planted.push({ family: part.family, start: text.length, end: text.length + part.value.length });
      text += part.value;
    }
  }
  return { text, planted };
}

export interface TokenFamily {
  /** Family of the main credential; a fragment may also plant companion parts (the AWS secret key). */
  family: string;
  make(rng: Rng): Fragment;
}

/** A family with one credential and a few sentence frames around it (`$` marks where it goes). */
function family(name: string, token: (rng: Rng) => string, frames: readonly string[]): TokenFamily {
  return {
    family: name,
    make(rng) {
      const [before, after] = rng.pick(frames).split('$') as [string, string];
      return assemble([before, { family: name, value: token(rng) }, after]);
    },
  };
}

function hex(rng: Rng, length: number): string {
  return rng.string(HEX, length);
}

function githubFineGrained(rng: Rng): string {
  const body = `11${rng.string(UPPER_ALNUM, 20)}_${rng.string(ALNUM, 43)}`;
  const head = `github_pat_${body}`;
  const digest = createHash('sha256').update(head).digest();
  // First 8 characters of Base32(SHA-256(everything before)); see githubFineGrainedScore.
  let bits = 0;
  let value = 0;
  let check = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && check.length < 8) {
      check += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    if (check.length === 8) break;
  }
  return `${head}${check}${rng.string(ALNUM, 8)}`;
}

function gitlabRoutable(rng: Rng): string {
  const routing = `c:1\no:${rng.range(1, 5000).toString(36)}\nu:${rng.range(1000, 9_000_000).toString(36)}`;
  const payload = Buffer.concat([Buffer.from(routing), Buffer.from(rng.bytes(16)), Buffer.from([16])]).toString(
    'base64url',
  );
  return withGitlabRoutableCrc(`glpat-${payload}.01.${payload.length.toString(36).padStart(2, '0')}`);
}

/** A PyPI API token: `pypi-` + base64url of a v2 macaroon (location pypi.org, a UUID identifier, one caveat). */
function pypiToken(rng: Rng): string {
  const field = (type: number, value: Buffer): Buffer => Buffer.concat([Buffer.from([type, value.length]), value]);
  const id = hex(rng, 32);
  const identifier = `${id.slice(0, 8)}-${id.slice(8, 12)}-4${id.slice(13, 16)}-a${id.slice(17, 20)}-${id.slice(20)}`;
  const caveat = `{"version": 1, "permissions": {"projects": ["acme-${rng.pick(['sdk', 'cli', 'utils'])}"]}}`;
  const macaroon = Buffer.concat([
    Buffer.from([2]),
    field(1, Buffer.from('pypi.org')),
    field(2, Buffer.from(identifier)),
    Buffer.from([0]),
    field(2, Buffer.from(caveat)),
    Buffer.from([0, 0]),
    field(6, Buffer.from(rng.bytes(32))),
  ]);
  return `pypi-${macaroon.toString('base64url')}`;
}

function slackBot(rng: Rng): string {
  return `xoxb-${rng.string(DIGITS, 12)}-${rng.string(DIGITS, 13)}-${rng.string(ALNUM, 24)}`;
}

function slackUser(rng: Rng): string {
  return `xoxp-${rng.string(DIGITS, 10)}-${rng.string(DIGITS, 11)}-${rng.string(DIGITS, 13)}-${hex(rng, 32)}`;
}

function slackWebhook(rng: Rng): string {
  return `https://hooks.slack.com/services/T${rng.string(UPPER_ALNUM, 10)}/B${rng.string(UPPER_ALNUM, 10)}/${rng.string(ALNUM, 24)}`;
}

/** base64 of `reftkn:01:<expiry>:<27 random>` (48 bytes, so 64 chars); redrawn until the base64 is alphanumeric. */
function jfrogReferenceToken(rng: Rng): string {
  for (;;) {
    const expiry = 1_767_000_000 + rng.int(100_000_000);
    const token = Buffer.from(`reftkn:01:${expiry}:${rng.string(ALNUM, 27)}`).toString('base64');
    if (/^[A-Za-z0-9]+$/.test(token)) return token;
  }
}

/** An HS256 or RS256 JWT with a plausible payload and a signature of the right length for its algorithm. */
function jwtToken(rng: Rng): string {
  const rs = rng.chance(0.5);
  const header = { alg: rs ? 'RS256' : 'HS256', typ: 'JWT' };
  const iat = 1_767_000_000 + rng.int(10_000_000);
  const payload = {
    sub: `${hex(rng, 8)}-${hex(rng, 4)}`,
    iss: 'https://auth.acme.io',
    aud: rng.pick(['billing-api', 'reporting', 'checkout']),
    iat,
    exp: iat + 3600,
  };
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode(header)}.${encode(payload)}.${rng.string(BASE64URL, rs ? 342 : 43)}`;
}

/** A password people would actually choose when told to make it strong: mostly alphanumeric, a few symbols. */
function strongPassword(rng: Rng): string {
  const chars = rng.string(ALNUM, rng.range(16, 24)).split('');
  for (let i = rng.range(1, 3); i > 0; i--)
    chars[1 + rng.int(chars.length - 2)] = rng.pick(['!', '#', '%', '*', '+', '-', '_']);
  return chars.join('');
}

function privateKeyPem(rng: Rng, kind: 'rsa' | 'pkcs8' | 'openssh'): string {
  switch (kind) {
    case 'rsa':
      return rsaPrivateKeyPem(rng, 'pkcs1').trimEnd();
    case 'pkcs8':
      return (rng.chance(0.5) ? rsaPrivateKeyPem(rng, 'pkcs8') : ed25519Pkcs8Pem(rng)).trimEnd();
    case 'openssh':
      return opensshEd25519Pem(rng, `deploy@${rng.pick(['ci-runner', 'bastion', 'build-07'])}`).trimEnd();
  }
}

const PEM_FRAMES = [
  'here is the deploy key for the new runner, please add it to the secret store and delete this message:\n$\nthanks!',
  'h3. Deploy key\n{code}\n$\n{code}',
  'The staging bastion key (temporary, rotate after the migration):\n```\n$\n```',
];

export const TOKEN_FAMILIES: readonly TokenFamily[] = [
  family('github-classic-pat', (r) => withBase62Crc32('ghp_', r.string(ALNUM, 30)), [
    'use my PAT for now: $ (expires in 30 days)',
    'export GITHUB_TOKEN=$',
    'git clone https://x-access-token:$@github.com/acme/infra.git',
  ]),
  family('github-oauth-token', (r) => withBase62Crc32('gho_', r.string(ALNUM, 30)), [
    'the CLI stored this in hosts.yml: oauth_token: $',
    'gh auth token printed $ so the login worked',
  ]),
  family('github-fine-grained-pat', githubFineGrained, [
    'fine-grained token with contents:read on the infra repo: $',
    'GH_TOKEN="$" ./scripts/sync-labels.sh',
  ]),
  family('gitlab-pat-legacy', (r) => `glpat-${r.string(`${ALNUM}_-`, 20)}`, [
    'PRIVATE-TOKEN: $',
    'for the mirror job I used glab with token $, can someone replace it with a project token?',
  ]),
  family('gitlab-pat-routable', gitlabRoutable, [
    'new PAT format from our self-managed 18.x instance: $',
    'GITLAB_TOKEN=$ glab mr list',
  ]),
  family('slack-bot-token', slackBot, [
    'SLACK_BOT_TOKEN=$',
    'the bot token is $ if you want to test the app locally',
    'curl -H "Authorization: Bearer $" https://slack.com/api/auth.test',
  ]),
  family('slack-user-token', slackUser, ['I ran the export with my user token $, works fine', 'slack_user_token: "$"']),
  family('slack-webhook', slackWebhook, [
    'alerts should post to $ (channel #ops-alerts)',
    'webhook_url: $',
    'curl -X POST -H "Content-type: application/json" --data \'{"text":"deploy done"}\' $',
  ]),
  {
    family: 'aws-access-key-id',
    make(rng) {
      const id = `AKIA${rng.string(BASE32, 16)}`;
      const secret = rng.string(`${ALNUM}/+`, 40);
      const idPart: Token = { family: 'aws-access-key-id', value: id };
      const secretPart: Token = { family: 'aws-secret-access-key', value: secret };
      return rng.chance(0.5)
        ? assemble([
            '[default]\naws_access_key_id = ',
            idPart,
            '\naws_secret_access_key = ',
            secretPart,
            '\nregion = eu-west-1',
          ])
        : assemble([
            'can someone check why the pipeline fails? I set AWS_ACCESS_KEY_ID=',
            idPart,
            ' and aws_secret_access_key ',
            secretPart,
            ' in the job settings',
          ]);
    },
  },
  family('npm-token', (r) => withBase62Crc32('npm_', r.string(ALNUM, 30)), [
    '//registry.npmjs.org/:_authToken=$',
    'NPM_TOKEN $ has publish rights on @acme/*, please rotate after the release',
  ]),
  family('pypi-token', pypiToken, [
    '[pypi]\n  username = __token__\n  password = $',
    'twine upload dist/* -u __token__ -p $',
  ]),
  family('docker-hub-pat', (r) => `dckr_pat_${r.string(`${ALNUM}_-`, 27)}`, [
    'docker login -u acmebot -p $',
    'DOCKERHUB_TOKEN=$ (read-only, for the mirror)',
  ]),
  family(
    'atlassian-api-token',
    (r) => `ATATT3xFfGF0${r.string(`${ALNUM}_-`, 171)}=${r.string('0123456789ABCDEF', 8)}`,
    ['JIRA_API_TOKEN=$', 'curl -u bot@acme.io:$ https://acme.atlassian.net/rest/api/3/myself'],
  ),
  family(
    'stripe-live-secret-key',
    (r) => (r.chance(0.5) ? `sk_live_51${r.string(ALNUM, 97)}` : `sk_live_${r.string(ALNUM, 24)}`),
    ['STRIPE_SECRET_KEY=$', 'stripe.api_key = "$"'],
  ),
  family(
    'openai-api-key',
    (r) => `sk-${r.pick(['proj', 'svcacct'])}-${r.string(`${ALNUM}_-`, 74)}T3BlbkFJ${r.string(`${ALNUM}_-`, 74)}`,
    ['OPENAI_API_KEY=$', 'the eval notebook has client = OpenAI(api_key="$") in cell 3'],
  ),
  family('anthropic-api-key', (r) => `sk-ant-api03-${r.string(`${ALNUM}_-`, 93)}AA`, [
    'ANTHROPIC_API_KEY=$',
    'x-api-key: $',
  ]),
  family('sendgrid-api-key', (r) => `SG.${r.string(`${ALNUM}_-`, 22)}.${r.string(`${ALNUM}_-`, 43)}`, [
    'SENDGRID_API_KEY=$',
    'mail is failing with 401, the key in the config is $',
  ]),
  family('digitalocean-pat', (r) => `dop_v1_${hex(r, 64)}`, ['doctl auth init -t $', 'DIGITALOCEAN_TOKEN=$']),
  family('postman-api-key', (r) => `PMAK-${hex(r, 24)}-${hex(r, 34)}`, [
    'x-api-key: $',
    'postman collection run uses POSTMAN_API_KEY=$',
  ]),
  family('vault-service-token', (r) => `hvs.CAESI${r.string(BASE64URL, r.range(86, 100))}`, [
    'VAULT_TOKEN=$ vault kv get secret/billing',
    'root-ish token for the migration: $',
  ]),
  family('doppler-personal-token', (r) => `dp.pt.${r.string(ALNUM, 43)}`, [
    'DOPPLER_TOKEN=$ doppler run -- npm start',
    'my doppler token is $ if you need to pull configs',
  ]),
  family('buildkite-user-token', (r) => `bkua_${hex(r, 40)}`, ['BUILDKITE_API_TOKEN=$', 'Authorization: Bearer $']),
  family('google-api-key', (r) => `AIzaSy${r.string(BASE64URL, 33)}`, [
    'maps key for the store locator: $',
    'GOOGLE_API_KEY=$',
    'https://generativelanguage.googleapis.com/v1/models?key=$',
  ]),
  family('slack-app-token', (r) => `xapp-1-A${r.string(UPPER_ALNUM, 10)}-${r.string(DIGITS, 13)}-${hex(r, 64)}`, [
    'SLACK_APP_TOKEN=$',
    'socket mode wants the app-level token as well: $',
  ]),
  family('gitlab-runner-token', (r) => `glrt-${r.string(`${ALNUM}_-`, 20)}`, [
    'gitlab-runner register --url https://gitlab.acme.io --token $',
    'runner token for the arm64 pool: $',
  ]),
  family('circleci-personal-token', (r) => `CCIPAT_${r.string(ALNUM, 22)}_${hex(r, 40)}`, [
    'CIRCLE_TOKEN=$',
    'curl -H "Circle-Token: $" https://circleci.com/api/v2/me',
  ]),
  family('heroku-api-key', (r) => `HRKU-AA${r.string(`${ALNUM}_-`, 58)}`, [
    'HEROKU_API_KEY=$',
    'heroku auth:token gave me $',
  ]),
  family('jfrog-reference-token', jfrogReferenceToken, [
    'ARTIFACTORY_ACCESS_TOKEN=$',
    'jf config add --access-token $',
  ]),
  family('sonar-user-token', (r) => `squ_${hex(r, 40)}`, ['SONAR_TOKEN=$', 'mvn sonar:sonar -Dsonar.token=$']),
  family('terraform-cloud-token', (r) => `${r.string(ALNUM, 14)}.atlasv1.${r.string(ALNUM, 67)}`, [
    'credentials "app.terraform.io" {\n  token = "$"\n}',
    'TF_TOKEN_app_terraform_io=$',
  ]),
  family('google-oauth-client-secret', (r) => `GOCSPX-${r.string(`${ALNUM}_-`, 28)}`, [
    'GOOGLE_CLIENT_SECRET=$',
    '"client_secret": "$",',
  ]),
  family(
    'azure-devops-pat',
    (r) =>
      `${r.string(ALNUM, 52)}JQQJ99B${r.pick([...'ABCDEFGHIJKL'])}${r.string(ALNUM, 8)}AAAAAAAAAZDO${r.string(ALNUM, 4)}`,
    ['AZURE_DEVOPS_EXT_PAT=$', 'az devops login with PAT $ (90 days)'],
  ),
  family('jwt', jwtToken, ['my session token from prod if you need to repro: $', 'Authorization: Bearer $']),
  family('private-key-rsa', (r) => privateKeyPem(r, 'rsa'), PEM_FRAMES),
  family('private-key-pkcs8', (r) => privateKeyPem(r, 'pkcs8'), PEM_FRAMES),
  family('private-key-openssh', (r) => privateKeyPem(r, 'openssh'), PEM_FRAMES),
  family('generic-password', strongPassword, [
    'DB_PASSWORD=$',
    'password=$',
    'admin login for the staging console: user ops-admin, password: $',
    '"password": "$"',
  ]),
  family('postgres-credentials', (r) => r.string(ALNUM, r.range(18, 28)), [
    'DATABASE_URL=postgres://billing_app:$@db-3.prod.internal.acme.io:5432/billing?sslmode=require',
    'psql "postgresql://report_ro:$@10.20.4.17:5432/reporting"',
  ]),
];

/**
 * Re-checks the checksum of every planted value that has one, with the
 * project's own validators: a generator bug must fail the bench loudly instead
 * of showing up as a detector "miss".
 */
export function assertChecksums(family: string, value: string): void {
  const ok =
    family === 'github-classic-pat'
      ? hasBase62Crc32(value, 'ghp_')
      : family === 'github-oauth-token'
        ? hasBase62Crc32(value, 'gho_')
        : family === 'npm-token'
          ? hasBase62Crc32(value, 'npm_')
          : family === 'github-fine-grained-pat'
            ? githubFineGrainedScore(value) === 1
            : family === 'gitlab-pat-routable'
              ? hasGitlabRoutableCrc(value)
              : true;
  if (!ok) throw new Error(`bench generator bug: planted ${family} fails its own checksum`);
}
