/**
 * Non-secret text of the kind collaboration tools are full of: chat lines,
 * Jira-style ticket comments, Confluence-like wiki paragraphs, config and code
 * snippets, logs and stack traces, hashes, ids, base64 blobs, documentation
 * samples and placeholders. Every credential-shaped value in here is a public
 * sample, a placeholder, a public (non-secret) key or an identifier: any finding
 * in this text is a false positive.
 */
import { ALNUM, BASE32, BASE64URL, HEX, LOWER_ALNUM, type Rng, UPPER_ALNUM } from './rng.ts';

const USERS = [
  'alice',
  'bob',
  'priya',
  'chen',
  'maria',
  'omar',
  'sven',
  'yuki',
  'fatima',
  'diego',
  'lena',
  'tomas',
  'aisha',
  'noah',
  'ines',
  'raj',
  'zoë',
  'joão',
  'mehmet',
  'olga',
  'kwame',
  'hannah',
];
const SERVICES = [
  'billing-api',
  'auth-gateway',
  'search-indexer',
  'notifications',
  'ledger',
  'checkout',
  'media-proxy',
  'reporting',
  'webhooks-relay',
  'identity',
  'scheduler',
  'inventory-sync',
  'feature-flags',
  'export-worker',
];
const ENVS = ['staging', 'prod', 'prod-eu', 'dev', 'qa', 'sandbox', 'canary', 'prod-us-east'];
const CHANNELS = [
  '#ops-alerts',
  '#deploys',
  '#incident-4312',
  '#eng-platform',
  '#help-infra',
  '#security',
  '#data-eng',
];
const PROJECTS = ['SEC', 'OPS', 'PLAT', 'BILL', 'INFRA', 'DATA', 'WEB', 'MOB', 'CORE'];
const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'us-west-2'];
const EMOJI = [
  ':thumbsup:',
  ':eyes:',
  ':rocket:',
  ':white_check_mark:',
  ':fire:',
  '🙏',
  '👍',
  '🚀',
  '✅',
  '😅',
  '🎉',
  '',
];
const ACKS = ['ok', 'thanks!', 'on it', 'sgtm', 'yep', 'ack', 'lgtm', 'nice', 'hmm', 'ugh', 'done', 'will do'];
const ERRORS = [
  'ECONNRESET',
  'connection refused',
  'context deadline exceeded',
  'OOMKilled',
  '502 Bad Gateway',
  'TLS handshake timeout',
  'permission denied (publickey)',
  'rate limit exceeded',
  'invalid_grant',
  'deadlock detected',
  'certificate has expired',
  'no space left on device',
];
const FILES = [
  'src/handlers/invoice.ts',
  'lib/auth/session.rb',
  'cmd/worker/main.go',
  'app/models/user.py',
  'charts/billing/values.yaml',
  '.github/workflows/deploy.yml',
  'terraform/modules/vpc/main.tf',
  'docker-compose.yml',
];
const FUNCS = ['handleRequest', 'processBatch', 'refreshSession', 'loadConfig', 'retryWithBackoff', 'renderInvoice'];
const WORDS = [
  'rollout',
  'migration',
  'latency',
  'dashboard',
  'runbook',
  'on-call',
  'retro',
  'backlog',
  'cutover',
  'failover',
  'quota',
  'throughput',
  'postmortem',
  'canary',
  'rollback',
  'schema',
  'cache',
  'queue',
  'cluster',
  'pipeline',
  'alert',
  'escalation',
  'handover',
  'audit',
];

function hex(rng: Rng, length: number): string {
  return rng.string(HEX, length);
}

function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  const variant = '89ab'[rng.int(4)]!;
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20)}`;
}

function base64(rng: Rng, bytes: number): string {
  return Buffer.from(rng.bytes(bytes)).toString('base64');
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function timestamp(rng: Rng): string {
  const ms = String(rng.int(1000)).padStart(3, '0');
  return `2025-${pad2(rng.range(1, 12))}-${pad2(rng.range(1, 28))}T${pad2(rng.int(24))}:${pad2(rng.int(60))}:${pad2(rng.int(60))}.${ms}Z`;
}

/** Slot fillers for the `{name}` placeholders of the templates below. */
const SLOTS: Record<string, (rng: Rng) => string> = {
  user: (r) => r.pick(USERS),
  user2: (r) => r.pick(USERS),
  svc: (r) => r.pick(SERVICES),
  env: (r) => r.pick(ENVS),
  channel: (r) => r.pick(CHANNELS),
  ticket: (r) => `${r.pick(PROJECTS)}-${r.range(12, 9999)}`,
  sha7: (r) => hex(r, 7),
  sha40: (r) => hex(r, 40),
  md5: (r) => hex(r, 32),
  sha256: (r) => hex(r, 64),
  uuid,
  num: (r) => String(r.range(2, 500)),
  ms: (r) => String(r.range(20, 30000)),
  pct: (r) => `${r.range(1, 99)}.${r.int(10)}%`,
  ver: (r) => `${r.range(1, 9)}.${r.int(30)}.${r.int(20)}`,
  host: (r) => `${r.pick(SERVICES)}-${r.range(0, 9)}.${r.pick(ENVS)}.internal.acme.io`,
  ip: (r) => `10.${r.int(256)}.${r.int(256)}.${r.int(256)}`,
  ts: timestamp,
  time: (r) => `${pad2(r.range(7, 22))}:${pad2(r.int(60))}`,
  region: (r) => r.pick(REGIONS),
  emoji: (r) => r.pick(EMOJI),
  ack: (r) => r.pick(ACKS),
  err: (r) => r.pick(ERRORS),
  file: (r) => r.pick(FILES),
  func: (r) => r.pick(FUNCS),
  line: (r) => String(r.range(3, 900)),
  word: (r) => r.pick(WORDS),
  word2: (r) => r.pick(WORDS),
  branch: (r) =>
    `${r.pick(['feat', 'fix', 'chore', 'hotfix'])}/${r.pick(PROJECTS).toLowerCase()}-${r.range(10, 9999)}-${r.pick(WORDS)}`,
  slackUser: (r) => `U${r.string(UPPER_ALNUM, r.range(8, 10))}`,
  slackChannel: (r) => `C${r.string(UPPER_ALNUM, r.range(8, 10))}`,
  permalink: (r) => `https://acme.slack.com/archives/C${r.string(UPPER_ALNUM, 10)}/p17${r.string('0123456789', 14)}`,
  reqId: (r) => `req_${r.string(ALNUM, 14)}`,
  traceId: (r) => hex(r, 32),
  spanId: (r) => hex(r, 16),
  gdoc: (r) => `https://docs.google.com/document/d/1${r.string(BASE64URL, 43)}/edit`,
  figma: (r) => `https://www.figma.com/file/${r.string(ALNUM, 22)}/Checkout-redesign`,
  pageId: (r) => String(r.range(100000000, 999999999)),
};

/** Replaces each `{slot}` with a fresh value. */
function fill(rng: Rng, template: string): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const slot = SLOTS[name];
    return slot ? slot(rng) : whole;
  });
}

const CHAT = [
  'hey @{user}, {svc} on {env} is throwing 502s again, see {ticket} {emoji}',
  '{ack} {emoji}',
  '@{user} can you take a look at {ticket} when you get a chance?',
  'deploying {svc} {ver} to {env} now, shout if anything looks off',
  'rollback done, {svc} is back on {sha7}',
  'p99 latency on {svc} went from {ms}ms to {ms}ms after the {word} {emoji}',
  'who owns {svc}? the {word} dashboard shows {pct} errors since {time}',
  'I think it is the {word}, not the {word2}. {user2} saw the same thing last week',
  'standup notes are in the doc: {gdoc}',
  'merged {branch} into main ({sha7}), CI is green {emoji}',
  'anyone else getting `{err}` from {host}?',
  'moving this to {channel}, see {permalink}',
  'reminder: {word} retro at {time}, agenda in {ticket}',
  '{user} is on call this week, {user2} is secondary',
  'can we get a {word} for {svc} before friday? {emoji}',
  'the mocks are here {figma}',
  'heads up, I rotated the {svc} credentials this morning per {ticket}, new ones are in Vault as usual',
  'do not paste tokens in here please, use the vault link instead {emoji}',
  'cc <@{slackUser}> <#{slackChannel}|{word}>',
  'bumped the timeout to {num}s, it was {num}s before',
  'fixed in {sha40}',
  'quick q: is {env} still pointing at the old {word}?',
  "I'll pair with {user} on {ticket} after lunch",
  'thanks {user}! {emoji}',
  'the token refresh job failed overnight with `{err}`; retried and it passed',
  'rotate the API key for {svc}? I think it expires in {num} days',
  'ok the password policy change is live in {env}, minimum length is now 14',
  'PSA: secrets go in Vault under secret/{svc}/{env}, never in the repo or in Slack',
];

const TICKET_HEADERS = [
  'h3. Steps to reproduce\n# open {svc} on {env}\n# click *Export*\n# wait ~{num}s',
  '*Expected:* the {word} finishes in under {ms}ms.\n*Actual:* it times out with {err}.',
  'Linked to {ticket} and {ticket}. Root cause looks like the {word} on {host}.',
  'Moved to *In Review*. PR: https://github.com/acme/{svc}/pull/{num} ({sha7})',
  'Customer impact: {pct} of checkout requests in {region} between {time} and {time} UTC.',
  '[~{user}] can you confirm this is fixed in {ver}? Blocking {ticket}.',
  'Workaround: restart the {svc} pods with `kubectl rollout restart deploy/{svc} -n {env}`.',
  'Duplicate of {ticket}. Closing.',
];

const STACKS = [
  'Error: {err}\n    at {func} ({file}:{line}:{num})\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at async {func} ({file}:{line}:{num})',
  'Traceback (most recent call last):\n  File "/app/{file}", line {line}, in {func}\n    resp = client.post(url, json=payload, timeout=30)\n  File "/usr/lib/python3.12/site-packages/requests/api.py", line 115, in post\nrequests.exceptions.ConnectionError: {err}',
  'java.lang.IllegalStateException: {err}\n\tat com.acme.{word}.Service.{func}(Service.java:{line})\n\tat com.acme.{word}.Worker.run(Worker.java:{line})\n\tat java.base/java.lang.Thread.run(Thread.java:1583)',
  'panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x{sha7}]\ngoroutine {num} [running]:\nmain.{func}(...)\n\t/src/{file}:{line} +0x{sha7}',
];

const LOGS = [
  '{ts} ERROR [{svc}] request_id={uuid} trace_id={traceId} span_id={spanId} status=502 duration_ms={ms} msg="{err}"',
  '{ts} INFO  [{svc}] method=POST path=/v1/invoices status=201 duration_ms={ms} user_id={slackUser} req={reqId}',
  '{ts} WARN  [{svc}] retrying upstream call attempt={num} backoff_ms={ms} host={host} err="{err}"',
  '{ip} - - [14/May/2025:{time}:12 +0000] "GET /api/v2/orders?page={num} HTTP/1.1" 200 {ms} "-" "okhttp/4.12.0"',
  '{ts} DEBUG [{svc}] cache miss key=orders:{uuid} etag="{md5}" size={ms}',
  '{ts} INFO  [{svc}] Idempotency-Key: {uuid} replayed=false',
  '{ts} INFO  [{svc}] token refreshed for client_id={uuid} expires_in=3600 token_type=Bearer',
];

const WIKI = [
  'The {svc} service owns the {word} for every tenant. Writes go through the primary in {region}; reads are served from replicas with at most {num} seconds of lag.',
  'Credentials for {svc} are issued by Vault and rotated every {num} days. Never paste a token into a ticket or a chat channel: share the Vault path instead, for example secret/{svc}/{env}.',
  'During a {word}, the incident commander posts updates in {channel} every 30 minutes and records decisions in {ticket}.',
  'Each API key is scoped to a single environment. The key name (not the key) is logged with every request so that audits can attribute traffic without exposing the secret.',
  'To rotate a database password, create the new user first, deploy {svc} with both, then drop the old one. See the runbook page {pageId} for the exact order.',
  'We hash request bodies with SHA-256 and keep only the digest; the raw body is dropped after {num} hours.',
  'Personal access tokens must have an expiry of at most 90 days. Service accounts use short-lived OIDC tokens from CI instead of long-lived keys.',
  'The {word} job runs at {time} UTC and usually finishes in {ms} ms. If it fails twice, the on-call engineer is paged.',
  'Feature flags are evaluated client side; the SDK key embedded in the web app is public by design and cannot change flags.',
  'Our password policy: at least 14 characters, no reuse of the last 5 passwords, and MFA for every admin account.',
];

const WIKI_TABLE_ROWS = [
  '|| Service || Owner || Runbook || Last review ||',
  '| {svc} | [~{user}] | page {pageId} | 2025-{num} |',
  '| {svc} | [~{user}] | {ticket} | checksum {md5} |',
];

const CONFIGS = [
  'timeout=30\nretries=5\nlog_level=info\napi_key_name: billing\nregion={region}',
  'env:\n  DB_HOST: {host}\n  DB_USER: {svc}\n  DB_PASSWORD: ${{ secrets.DB_PASSWORD }}\n  SLACK_TOKEN: ${{ secrets.SLACK_BOT_TOKEN }}',
  'services:\n  {svc}:\n    image: registry.acme.io/{svc}@sha256:{sha256}\n    environment:\n      - API_TOKEN=${API_TOKEN}\n      - TIMEOUT_MS={ms}',
  '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\nregion = {region}',
  'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nexport AWS_DEFAULT_REGION={region}',
  '{\n  "token": "<your-token>",\n  "endpoint": "https://{host}/v1",\n  "max_tokens": 4096,\n  "timeout": 30\n}',
  'const apiKey = process.env.STRIPE_SECRET_KEY;\nconst client = new Stripe(apiKey, { apiVersion: "2024-06-20" });',
  'password = os.environ["DB_PASSWORD"]\nconn = psycopg.connect(host="{host}", user="{svc}", password=password)',
  'DATABASE_URL=postgres://user:password@localhost:5432/mydb',
  'DATABASE_URL=postgresql://${DB_USER}:${DB_PASSWORD}@db:5432/{svc}',
  'redis_url: redis://{host}:6379/0\nsession_ttl: 86400\ncsrf_token_header: X-CSRF-Token',
  'auth:\n  token_type: bearer\n  token_expiry: 3600\n  secret_ref: vault:secret/data/{svc}#db_password\n  password_min_length: 14',
  'kubectl get secret {svc}-db -n {env} -o jsonpath="{.data.password}" | base64 -d',
  'git clone git@github.com:acme/{svc}.git && cd {svc} && git checkout {branch}',
  'curl -H "Authorization: Bearer $TOKEN" https://{host}/v1/health',
  'SECRET_KEY_BASE=changeme\nADMIN_PASSWORD=changeme\nAPI_KEY={{ api_key }}',
  '"resolved": "https://registry.npmjs.org/zod/-/zod-3.23.8.tgz",\n"integrity": "sha512-{b64_64}"',
];

/** Values that look like credentials but are public samples, placeholders or redactions. */
const TRAPS = [
  'the docs say an installation token looks like ghs_16C7e42F292c69C2E7C10c838347Ae178B4a, ours are the same length',
  'paste it into jwt.io, e.g. eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c decodes fine',
  'set SLACK_BOT_TOKEN=xoxb-xxxxxxxxxxxx in your .env, the real one is in Vault',
  'webhook url format: https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  'for local testing use the Stripe test key sk_test_4eC39HqLyjWDarjtT1zdp7dc from their docs',
  'token: <your-token>',
  'Authorization: Bearer <token>',
  'GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  'the old one started with ghp_abc… and is revoked now',
  'SLACK_BOT_TOKEN=xoxb-**** (masked)',
  'aws_secret_access_key = <redacted>',
  'api_key: "%API_KEY%"',
  'password: changeme',
  'password: ${{ secrets.DB_PASSWORD }}',
  'OPENAI_API_KEY=sk-...',
  'NPM_TOKEN=npm_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
  'see https://user:****@git.acme.io/acme/{svc}.git (password removed)',
  'clone with https://{user}@bitbucket.org/acme/{svc}.git',
  'publishable key for the checkout page: pk_live_{alnum24}',
  'browser agent snippet uses licenseKey: "NRJS-{hex19}"',
  'mailgun public validation key pubkey-{md5}',
  'next page: "response_metadata": {"next_cursor": "{cursor}"}',
  'the pagination token is {uuid}, pass it as ?page_token=',
  'checksum mismatch: expected {sha256} got {sha256}',
  'upload-artifact digest sha256:{sha256}',
  'md5 of the export is {md5}',
  'commit {sha40} Author: {user} <{user}@acme.io>',
  'GITHUB_SHA={sha40}',
  'X-Request-Id: {uuid}',
  'user {slackUser} joined {slackChannel}',
  'API_KEY_NAME=billing-prod\nAPI_KEY_HEADER=X-Api-Key',
  'publicKey: "{b64_32}"',
  'csrf_token is rotated per session, see {ticket}',
  // Slack's own oauth.v2.access documentation example, pasted while debugging an install flow.
  'the install returns {"ok": true, "access_token": "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy", "token_type": "bot", "bot_user_id": "U0KRQLJ9H", "app_id": "A0KRD7HC3"} like in the docs',
  'aws docs use AKIAI44QH8DHBEXAMPLE / je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY in the SigV4 examples',
  'join the bridge: https://acme.zoom.us/j/{zoomId}?pwd={alnum32}',
  'download link (expires in 1h): https://acme-exports.s3.{region}.amazonaws.com/reports/{uuid}.csv?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA{akiaBody}%2F20250514%2F{region}%2Fs3%2Faws4_request&X-Amz-Date=20250514T101500Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature={sha256}',
  'SENTRY_DSN=https://{md5}@o{num}.ingest.sentry.io/{num}',
  'ED25519 key fingerprint is SHA256:{fingerprint}. Are you sure you want to continue connecting (yes/no)?',
  'oauth client_id: {clientId}.apps.googleusercontent.com (public, the secret is in Vault)',
];

/** Fresh random filler for the placeholders only TRAPS and CONFIGS use. */
function fillTrap(rng: Rng, template: string): string {
  return fill(rng, template)
    .replace('{alnum24}', () => rng.string(ALNUM, 24))
    .replace('{hex19}', () => hex(rng, 19))
    .replace('{b64_32}', () => base64(rng, 32))
    .replace('{b64_64}', () => base64(rng, 64))
    .replace('{alnum32}', () => rng.string(ALNUM, 32))
    .replace('{zoomId}', () => rng.string('0123456789', 11))
    .replace('{akiaBody}', () => rng.string(BASE32, 16))
    .replace('{fingerprint}', () => base64(rng, 32).replace(/=+$/, ''))
    .replace('{clientId}', () => `${rng.string('0123456789', 12)}-${rng.string(LOWER_ALNUM, 32)}`)
    .replace('{cursor}', () =>
      Buffer.from(`${rng.pick(['user', 'channel', 'team'])}:${rng.pick(['U', 'C', 'T'])}${rng.string(UPPER_ALNUM, 10)}`)
        .toString('base64')
        .replace(/=+$/, '='),
    );
}

function sshPublicKey(rng: Rng): string {
  const blob = Buffer.concat([
    Buffer.from('0000000b7373682d65643235353139', 'hex'),
    Buffer.from('00000020', 'hex'),
    Buffer.from(rng.bytes(32)),
  ]).toString('base64');
  return `ssh-ed25519 ${blob} ${rng.pick(USERS)}@${rng.pick(['laptop', 'build-01', 'bastion'])}`;
}

function pemBlock(label: string, body: string): string {
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----`;
}

/** Big opaque blobs: inline images, certificates, public keys. High entropy, not secret. */
function blob(rng: Rng, maxBytes: number): string {
  switch (rng.int(6)) {
    case 0:
      return `![screenshot.png](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA${base64(rng, rng.range(120, maxBytes))})`;
    case 1:
      return `<img alt="chart" src="data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ${base64(rng, rng.range(120, maxBytes))}" />`;
    case 2:
      return `here is the server cert:\n${pemBlock('CERTIFICATE', `MII${base64(rng, rng.range(600, 1200))}`)}`;
    case 3:
      return `public key for the SFTP allowlist:\n${pemBlock('PUBLIC KEY', `MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA${base64(rng, 256)}IDAQAB`)}`;
    case 4:
      return `my signing key, please import:\n${pemBlock('PGP PUBLIC KEY BLOCK', `mQINBG${base64(rng, rng.range(400, 900))}`)}`;
    default:
      return `add this to authorized_keys: ${sshPublicKey(rng)}`;
  }
}

function paragraph(rng: Rng, sentences: readonly string[], count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(fill(rng, rng.pick(sentences)));
  return out.join(' ');
}

function chatLine(rng: Rng): string {
  return `[${fill(rng, '{time}')}] ${rng.pick(USERS)}: ${fill(rng, rng.pick(CHAT))}`;
}

function ticketComment(rng: Rng): string {
  const parts = [`${fill(rng, '{ticket}')} comment by ${rng.pick(USERS)}:`, fill(rng, rng.pick(TICKET_HEADERS))];
  if (rng.chance(0.5)) parts.push(`{code}\n${fill(rng, rng.pick(STACKS))}\n{code}`);
  if (rng.chance(0.5)) {
    const lines: string[] = [];
    for (let i = rng.range(2, 6); i > 0; i--) lines.push(fill(rng, rng.pick(LOGS)));
    parts.push(`{noformat}\n${lines.join('\n')}\n{noformat}`);
  }
  return parts.join('\n');
}

function wikiSection(rng: Rng): string {
  const parts = [
    `h2. ${rng.pick(WORDS)[0]!.toUpperCase()}${rng.pick(WORDS).slice(1)} ${rng.pick(['overview', 'runbook', 'FAQ', 'design'])}`,
  ];
  parts.push(paragraph(rng, WIKI, rng.range(2, 5)));
  if (rng.chance(0.3)) parts.push(WIKI_TABLE_ROWS.map((row) => fill(rng, row)).join('\n'));
  if (rng.chance(0.4)) parts.push(`{code:yaml}\n${fillTrap(rng, rng.pick(CONFIGS))}\n{code}`);
  return parts.join('\n\n');
}

function trap(rng: Rng): string {
  return `${rng.pick(USERS)}: ${fillTrap(rng, rng.pick(TRAPS))}`;
}

function logBlock(rng: Rng): string {
  const lines: string[] = [];
  for (let i = rng.range(3, 12); i > 0; i--) lines.push(fill(rng, rng.pick(LOGS)));
  return lines.join('\n');
}

function configSnippet(rng: Rng): string {
  return `\`\`\`\n${fillTrap(rng, rng.pick(CONFIGS))}\n\`\`\``;
}

/** One paragraph of a long document (a wiki export, a ticket dump, a channel history). */
export function noiseParagraph(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.3) {
    const lines: string[] = [];
    for (let i = rng.range(3, 15); i > 0; i--) lines.push(rng.chance(0.1) ? trap(rng) : chatLine(rng));
    return lines.join('\n');
  }
  if (roll < 0.5) return ticketComment(rng);
  if (roll < 0.72) return wikiSection(rng);
  if (roll < 0.8) return logBlock(rng);
  if (roll < 0.88) return configSnippet(rng);
  if (roll < 0.96) return trap(rng);
  return blob(rng, 3000);
}

/** One short chat message or comment (a few hundred bytes at most, usually far less). */
export function noiseMessage(rng: Rng): string {
  const roll = rng.next();
  if (roll < 0.62) return fill(rng, rng.pick(CHAT));
  if (roll < 0.72) return fillTrap(rng, rng.pick(TRAPS));
  if (roll < 0.8) return fill(rng, rng.pick(TICKET_HEADERS));
  if (roll < 0.86) return fill(rng, rng.pick(LOGS));
  if (roll < 0.91) return paragraph(rng, WIKI, 1);
  if (roll < 0.95) return fillTrap(rng, rng.pick(CONFIGS));
  if (roll < 0.98) return fill(rng, rng.pick(STACKS));
  return blob(rng, 400);
}

/** A short sentence that can lead into or follow a planted token. */
export function chatFiller(rng: Rng): string {
  return fill(rng, rng.pick(CHAT));
}
