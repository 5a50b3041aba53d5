import { describe, expect, it } from 'vitest';
import type { Detector } from '../src/core/detector.ts';
import { createScanner } from '../src/detection/scanner.ts';
import { genericDetectors, genericValueScore, isPlaceholderPassword } from './generic.ts';
import { detectors as registry } from './index.ts';
import { jwtDetectors } from './jwt.ts';
import { privateKeyDetectors } from './private-key.ts';
import { uriCredentialsDetectors } from './uri-credentials.ts';

// The registry plus this family (until the lead wires it in), so generic
// detectors are exercised next to the specific ones they must yield to.
const mine: Detector[] = [...genericDetectors, ...jwtDetectors, ...privateKeyDetectors, ...uriCredentialsDetectors];
const ids = new Set(registry.map((d) => d.id));
const scanner = createScanner({
  detectors: [...registry, ...mine.filter((d) => !ids.has(d.id))],
  fingerprintKey: 'test-key',
});

/** Which generic-family detector fires on a line (undefined: none may fire). */
const lines: readonly [string, string | undefined][] = [
  // --- leaks -------------------------------------------------------------
  ['DB_PASSWORD=Vq7#mR2xLp9s', 'generic-password'],
  // Random strong passwords that once looked like words joined by separators, or like a `%…s` format string.
  ['password=x2-oKFheNpaIrpbTlGKxJq6', 'generic-password'],
  ['"password": "KM#CAadGkJIOTiJuiKV5"', 'generic-password'],
  ['admin login for the staging console: user ops-admin, password: SGnH#cpytjwgummlpvs2#p', 'generic-password'],
  ['DB_PASSWORD=s*b%nDMs9ShwnlpRYajg', 'generic-password'],
  ['DB_PASSWORD=K6tX+J%_qx9BvDXrsdF', 'generic-password'],
  ['the password for the reporting replica is Tz4!wq8Lm2Rk, rotate after the demo', 'generic-password'],
  ['root pw: Summer2024!', 'generic-password'],
  ['MYSQL_ROOT_PASSWORD: "k9Wm$2vQx7Lr"', 'generic-password'],
  ["$db_password = 'Hx8pT3zQ9wN!';", 'generic-password'],
  ['<add key="SmtpPassword" value="Ne7@kR4qW2zx" />', 'generic-password'],
  ['Server=tcp:sql01.corp.local;Database=erp;User Id=erp_app;Password=Yk8#qLm2Rx7w;Encrypt=true', 'generic-password'],
  ['| prod admin | password | Wq3!zR8mK2tX |', 'generic-password'],
  ['Confluence: *Password:* Lm4#qT9vX2wZ', 'generic-password'],
  ['kubectl create secret generic db --from-literal=password=Pz7kQ2wX9mLr', 'generic-password'],
  ['export AWS_SESSION_PASSPHRASE=Rk8!vN3qZ7xT', 'generic-password'],
  ['API_KEY=q7RzT2mXv9LpW4sKc8NbYd3F', 'generic-api-key'],
  ['"client_secret": "Qm8~vT3z.Lx9Rk2Wp7Yc4Nb"', 'generic-api-key'],
  ['heres the mailer api key 9fK2mQ7xZ4vR8tLw3Yp6 lmk if it works', 'generic-api-key'],
  ['here is the staging api key: 9fK2mQ7xZ4vR8tLw3Yp6 (expires friday)', 'generic-api-key'],
  ['GET /v1/orders?api_key=Zt8kQ3vN9mW2xR7pL4cY&format=json', 'generic-api-key'],
  ['webhook_secret: "a9X2kL7qZ4vR8tW3pN6c"', 'generic-api-key'],
  ['AUTH_TOKEN=Rk7vQ2xW9mZ4tL8pN3cY6bJ', 'generic-token'],
  ['X-Auth-Token: 7hQ2kV9xR4mL8wZ3tP6c', 'generic-token'],
  ['{"access_token":"a8Fk2QzX9vLm4RtW7pYc3N.dT6hB","token_type":"bearer"}', 'generic-token'],
  ['Authorization: Bearer 4kQz9Xv2Lm7RtW8pYc3Nb6Jd', 'generic-bearer-token'],
  ['-H "Authorization: Basic Y2ktZGVwbG95ZXI6WHE0TG04VHoyUnY3V3A5Sw=="', 'generic-basic-auth'],
  ["mysql -h db-prod -u billing -p'Vq7#mR2xLp9s' billing", 'generic-cli-password'],
  ['sshpass -p Hx8pT3zQ9wN ssh deploy@10.20.0.14', 'generic-cli-password'],
  ['curl -u admin:Qm8vT3zLx9Rk https://jenkins.acme.io/api/json', 'generic-cli-password'],
  ['DATABASE_URL=postgres://billing:Vq7mR2xLp9sT@db-prod.internal:5432/billing', 'uri-credentials'],
  // hex of a length no common hash has
  ['MAILER_API_KEY=4f8c2a9e7b1d3f6a0c5e8b2d4f7a9c1e3b5d', 'generic-api-key'],
  // starts like an AWS key id prefix but is not one
  ['guest wifi password: Asia2024!kq', 'generic-password'],
  ['machine api.acme.io login deploy password Wq7!kR2mZx9T', 'generic-password'],

  // --- traps ---------------------------------------------------------------
  ['the password is in the vault, ask @oncall', undefined],
  ['token: see 1Password', undefined],
  ['password: see 1Password (Engineering > Prod DB)', undefined],
  ['Password: Required', undefined],
  ['password is definitely wrong, I reset it twice', undefined],
  ['password: ${DB_PASSWORD}', undefined],
  ['password = "db_%s_pass" % env', undefined],
  ["password: '%(db_password)s'", undefined],
  ['password=prod-database-readonly', undefined],
  ['password: see-shared-vault/teamCredentials', undefined],
  ['token: ${{ secrets.GITHUB_TOKEN }}', undefined],
  ['api_key: {{ mailer_api_key }}', undefined],
  ['API_KEY=%API_KEY%', undefined],
  ['password: <your-password>', undefined],
  ['DB_PASSWORD=changeme', undefined],
  ['password: ********', undefined],
  ['password=password123', undefined],
  ['password: P@ssw0rd!', undefined],
  ['api_key: c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2', undefined],
  ['secret: 3f786850e387550fdab836ed7e6dc881de23001b', undefined],
  ['token: d41d8cd98f00b204e9800998ecf8427e', undefined],
  ['access_key: 2b7f0c1e-8d4a-4b9e-9f3a-6c5d1e2f7a8b', undefined],
  ['Idempotency-Key: "2B7F0C1E-8D4A-4B9E-9F3A-6C5D1E2F7A8B", retrying', undefined],
  // Only a value that is exactly a UUID is skipped by the pattern: one that goes on is judged like any other.
  ['api_key: 2b7f0c1e-8d4a-4b9e-9f3a-6c5d1e2f7a8bQz9xT', 'generic-api-key'],
  ['token is PLAT-48213, see the ticket', undefined],
  ['secret: C04QZ8HK7LM', undefined],
  ['api_key = os.environ["API_KEY"]', undefined],
  ['password: process.env.DB_PASSWORD,', undefined],
  ['token = getToken()', undefined],
  ['const token = this.token;', undefined],
  ['self.password = config.password', undefined],
  ['API_KEY_NAME=API_KEY_NAME_PROD', undefined],
  ['csrf_token: Jd8f3kLq9Zx2Vm7RtW4p', undefined],
  ['password: Optional[str] = None', undefined],
  ['password_file: /run/secrets/db_password', undefined],
  ['password: vault:secret/data/prod/db#password', undefined],
  ['token_expiry: 2025-03-01T12:00:00Z', undefined],
  ['api_key_version: v2.14.3', undefined],
  ['password_hash: $2b$12$Kq3v9Qe7Xw1mZr5TtY8uUe4oLcJbHgFdSaPiOnMlKkJjHhGgFfEeD', undefined],
  ['api_key: ENC[AES256_GCM,data:q8Vx2mRz,iv:Zt9k,tag:Lm4w,type:str]', undefined],
  ['token: ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1x3aaaaa', undefined],
  ['api_key: AKIAQ3EGV5LCX7TNP2WM', undefined],
  ['Authorization: Bearer YOUR_ACCESS_TOKEN', undefined],
  ['Authorization: Basic dXNlcjpwYXNzd29yZA==', undefined],
  ['we use basic authentication behind the VPN', undefined],
  ['mysql -u root -p my_database', undefined],
  ['docker run -p 127.0.0.1:5432:5432 postgres:16', undefined],
  ['max_tokens: 4096', undefined],
  ['secretName: payments-db-credentials', undefined],
  ['password: same-as-staging', undefined],
  ['password manager: 1Password', undefined],
  ['postgres://user:password@localhost:5432/db', undefined],
  ['token: min8chars', undefined],
  ['api key: admin@acme-corp.io', undefined],
  // Kubernetes Secret data: base64 of "password123"
  ['  password: cGFzc3dvcmQxMjM=', undefined],
  ['public_key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFFneQLXKD5RyGv8fQIbnTMogOHRKhyAF', undefined],
  ['next_page_token: CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA0', undefined],
  ['the bypass: Xq4Lm8Tz2Rv7', undefined],
  ['Your password expires in 14 days', undefined],
];

const FAMILY = /^(?:generic-|uri-credentials$|jwt$|private-key)/;

describe('generic detectors on chat, ticket and wiki lines', () => {
  it('has a balanced table of at least 40 lines', () => {
    expect(lines.length).toBeGreaterThanOrEqual(40);
    expect(lines.filter(([, id]) => id !== undefined).length).toBeGreaterThanOrEqual(20);
    expect(lines.filter(([, id]) => id === undefined).length).toBeGreaterThanOrEqual(20);
  });

  it.each(lines)('%s → %s', (text, expected) => {
    const fired = [...new Set(scanner.scan(text).map((m) => m.detectorId))].filter((id) => FAMILY.test(id));
    expect(fired).toEqual(expected === undefined ? [] : [expected]);
  });
});

describe('genericValueScore', () => {
  it('accepts random and human passwords, rejects words and shapes', () => {
    expect(genericValueScore('Summer2024!', 'password', false)).toBeGreaterThan(0);
    expect(genericValueScore('q7RzT2mXv9LpW4sK', 'token', true)).toBeGreaterThan(0);
    expect(genericValueScore('reset-required', 'password', false)).toBe(false);
    expect(genericValueScore('getApiKey2', 'token', false)).toBe(false);
    expect(genericValueScore('1712345678.123456', 'token', false)).toBe(false);
    expect(genericValueScore('2025-03-01', 'password', false)).toBe(false);
    expect(genericValueScore('(hidden)', 'password', false)).toBe(false);
    expect(genericValueScore('/etc/app/secret.key', 'token', false)).toBe(false);
  });
});

describe('isPlaceholderPassword', () => {
  it.each(['password', 'Passw0rd!', 's3cr3t', 'changeme', 'hunter2', 'guest', '${PASS}', '%s', ':password', '1234'])(
    '%s is a placeholder',
    (value) => expect(isPlaceholderPassword(value)).toBe(true),
  );
  it.each(['Vq7#mR2xLp9s', 'Tz4wq8Lm2Rk', 'Summer2024!'])('%s is not', (value) =>
    expect(isPlaceholderPassword(value)).toBe(false),
  );
  it('treats user == password as a default credential', () => {
    expect(isPlaceholderPassword('rabbit', 'rabbit')).toBe(true);
  });
});
