import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadTeamsConfig } from './teams-config.ts';

const BASE = {
  TEAMS_TENANT_ID: '2432b57b-0abd-43db-aa7b-16eadd115d34',
  TEAMS_CLIENT_ID: '6731de76-14a6-49ae-97bc-6eba6914391e',
  TEAMS_CLIENT_SECRET: 'app-secret-value',
};

/** A self-signed certificate (public, no key) generated with openssl; its SHA-256 fingerprint is below. */
const CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDHzCCAgegAwIBAgIUYFRs2RFJzXX6UiNTI5RVyG5A0EswDQYJKoZIhvcNAQEL
BQAwHzEdMBsGA1UEAwwUbGVha3dhdGNoLXRlYW1zLXRlc3QwHhcNMjYxMTI2MDQy
MzAwWhcNMzYxMTIzMDQyMzAwWjAfMR0wGwYDVQQDDBRsZWFrd2F0Y2gtdGVhbXMt
dGVzdDCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBAM6y54d1YaYWWupg
oY1ptTxtXWbAvKUvEtGFUQ8LC4a0IvIY97uuthDrJmPREYMk4gen3dTbXuOgzO0/
RXv6FYDnoKz0NOsDQd+hSVeTU3Nx2Do1HXfcMr2fTf9wiRKdKyVT/LYxXeZpZFgK
TIUKXnXYQzCUT3EvUSUyWwOkeywt//8K0iT1rM9SrGHlYMcVdOUnS7D6+OhM9kcl
G15Clvas86LFTUZKEnU8MD63DmmkplSiZFzrYJ8DfLmoE+OMQHTRRdhd72eyU+Jq
SegMow/+nJmHI9y45NmQ7z17PcTa1CWgOipGx2SCNTwtSWLexe+MBITK+iKRMfcw
mClN6tcCAwEAAaNTMFEwHQYDVR0OBBYEFISuMzASImAm5kmi8UwUVN+YxlSjMB8G
A1UdIwQYMBaAFISuMzASImAm5kmi8UwUVN+YxlSjMA8GA1UdEwEB/wQFMAMBAf8w
DQYJKoZIhvcNAQELBQADggEBAGIfzslwlP6W6OtvK9Tp9QNUoYSH3OxG1UJj0cLm
3TRYuPRxQALkDrqgqKhfIgvWPP/PMIkC9Ug67hu9nHhrwRswXyaM3bM8U9/cGniZ
K1y8LyO+sZNR0nG/Xlbw8Nm0eam6jFR9fraiqZnlu1J1iZrkSOu8v1Xj0UArbIL6
9TZvAI/jqSTfWiM++qwbIYbn4La90kRMWRiyqgwWs1wtfmzGUUytf/EnySIQWaLN
shWmk/n42r8VLWx4OU00JcxK54CLkMjfT6ufdiT8EK6/h4ffRFBqxRP5frg7C3UH
+YuUjRGiB/oQNfkCA9q1P5gageFFko6QgCMYunnMvOSocGs=
-----END CERTIFICATE-----
`;
const CERTIFICATE_SHA256 = '06f4e3454f32b7b86612ad1003b4964b54826a72f1137d82f73e29167f463f8f';

function pemFile(contents: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'teams-config-')), 'app.pem');
  writeFileSync(path, contents);
  return path;
}
const privateKeyPem = (type: 'pkcs1' | 'pkcs8') =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type, format: 'pem' }).toString();

function errorOf(env: Record<string, string>): string {
  try {
    loadTeamsConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('Teams configuration', () => {
  it('is off when neither tenant nor client id is set (empty values count as unset)', () => {
    expect(loadTeamsConfig({})).toBeUndefined();
    expect(loadTeamsConfig({ TEAMS_TENANT_ID: '', TEAMS_CLIENT_ID: '' })).toBeUndefined();
  });

  it('applies Microsoft defaults and keeps credentials out of logs', () => {
    const config = loadTeamsConfig(BASE)!;
    expect(config).toMatchObject({
      tenantId: BASE.TEAMS_TENANT_ID,
      clientId: BASE.TEAMS_CLIENT_ID,
      notificationUrl: undefined,
      teams: [],
      chats: { mode: 'all' },
      clientState: undefined,
      delegatedToken: undefined,
      dlp: false,
      graphApiUrl: 'https://graph.microsoft.com',
      graphLoginUrl: 'https://login.microsoftonline.com',
      subscriptionMinutes: 4200,
    });
    expect(config.credential.kind).toBe('secret');
    const printed = `${JSON.stringify(config)} ${inspect(config, { depth: 5 })}`;
    expect(printed).not.toContain('app-secret-value');
  });

  it('reads the optional settings', () => {
    const config = loadTeamsConfig({
      ...BASE,
      TEAMS_NOTIFICATION_URL: 'https://leakwatch.contoso.com/webhooks/teams/',
      TEAMS_TEAMS: 'fbe2bf47-16c8-47cf-b4a5-4b9b187c508b, 02bd9fd6-8f93-4758-87c3-1fb73740a315',
      TEAMS_CHATS: '19:abc@thread.v2,19:def@unq.gbl.spaces',
      TEAMS_CLIENT_STATE: 'a-client-state-of-sufficient-length',
      TEAMS_DELEGATED_TOKEN: 'eyJ0eXAiOiJKV1Qi.delegated',
      TEAMS_DLP: 'yes',
      TEAMS_BOT_WEBHOOK_URL: 'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/def/ghi',
      TEAMS_SUBSCRIPTION_MINUTES: '55',
      GRAPH_API_URL: 'http://localhost:4010/',
      GRAPH_LOGIN_URL: 'https://login.fake.test/',
    })!;
    expect(config).toMatchObject({
      notificationUrl: 'https://leakwatch.contoso.com/webhooks/teams',
      teams: ['fbe2bf47-16c8-47cf-b4a5-4b9b187c508b', '02bd9fd6-8f93-4758-87c3-1fb73740a315'],
      chats: { mode: 'listed', chatIds: ['19:abc@thread.v2', '19:def@unq.gbl.spaces'] },
      dlp: true,
      subscriptionMinutes: 55,
      graphApiUrl: 'http://localhost:4010',
      graphLoginUrl: 'https://login.fake.test',
    });
    expect(config.clientState!.reveal()).toBe('a-client-state-of-sufficient-length');
    expect(config.delegatedToken!.reveal()).toBe('eyJ0eXAiOiJKV1Qi.delegated');
    expect(String(config.botWebhookUrl)).toBe('https://contoso.webhook.office.com/[webhook]');
    expect(loadTeamsConfig({ ...BASE, TEAMS_CHATS: 'off' })!.chats).toEqual({ mode: 'off' });
  });

  it('names the variable in every error', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ TEAMS_TENANT_ID: BASE.TEAMS_TENANT_ID }, 'TEAMS_CLIENT_ID'],
      [{ TEAMS_TENANT_ID: BASE.TEAMS_TENANT_ID, TEAMS_CLIENT_ID: BASE.TEAMS_CLIENT_ID }, 'TEAMS_CLIENT_SECRET'],
      [{ ...BASE, TEAMS_CERTIFICATE_PATH: '/nonexistent.pem' }, 'TEAMS_CLIENT_SECRET'],
      [{ ...BASE, TEAMS_CERTIFICATE_THUMBPRINT: 'ab'.repeat(20) }, 'TEAMS_CERTIFICATE_THUMBPRINT'],
      [{ ...BASE, TEAMS_NOTIFICATION_URL: 'http://leakwatch.contoso.com/webhooks/teams' }, 'TEAMS_NOTIFICATION_URL'],
      [{ ...BASE, GRAPH_API_URL: 'http://graph.contoso.com' }, 'GRAPH_API_URL'],
      [{ ...BASE, GRAPH_LOGIN_URL: 'http://localhost:4011' }, 'GRAPH_LOGIN_URL'],
      [{ ...BASE, TEAMS_CHATS: 'general' }, 'TEAMS_CHATS'],
      [{ ...BASE, TEAMS_CLIENT_STATE: 'short' }, 'TEAMS_CLIENT_STATE'],
      [{ ...BASE, TEAMS_SUBSCRIPTION_MINUTES: '5000' }, 'TEAMS_SUBSCRIPTION_MINUTES'],
      [{ ...BASE, TEAMS_DLP: 'maybe' }, 'TEAMS_DLP'],
      [{ ...BASE, TEAMS_BOT_WEBHOOK_URL: 'not a url' }, 'TEAMS_BOT_WEBHOOK_URL'],
    ];
    for (const [env, variable] of cases) expect(errorOf(env), variable).toContain(variable);
    expect(errorOf({ ...BASE, TEAMS_CLIENT_SECRET: '', TEAMS_CERTIFICATE_PATH: '/nonexistent.pem' })).toContain(
      'TEAMS_CERTIFICATE_PATH: cannot read',
    );
  });

  it('loads a certificate credential and derives its SHA-256 thumbprint from the certificate', () => {
    const path = pemFile(privateKeyPem('pkcs1') + CERTIFICATE);
    const config = loadTeamsConfig({ ...BASE, TEAMS_CLIENT_SECRET: '', TEAMS_CERTIFICATE_PATH: path })!;
    expect(config.credential).toMatchObject({ kind: 'certificate', thumbprintSha256: CERTIFICATE_SHA256 });
    if (config.credential.kind !== 'certificate') throw new Error('unreachable');
    // msal-node wants PKCS#8.
    expect(config.credential.privateKey.reveal()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(JSON.stringify(config)).not.toContain('PRIVATE KEY');
  });

  it('takes an explicit thumbprint, and requires one when the file holds only a key', () => {
    const keyOnly = pemFile(privateKeyPem('pkcs8'));
    const noCert = { ...BASE, TEAMS_CLIENT_SECRET: '', TEAMS_CERTIFICATE_PATH: keyOnly };
    expect(errorOf(noCert)).toContain('TEAMS_CERTIFICATE_THUMBPRINT');
    const sha1 = loadTeamsConfig({ ...noCert, TEAMS_CERTIFICATE_THUMBPRINT: 'AB:CD:'.repeat(10).slice(0, 59) })!;
    expect(sha1.credential).toMatchObject({ kind: 'certificate', thumbprintSha1: 'abcd'.repeat(10) });
    expect(errorOf({ ...noCert, TEAMS_CERTIFICATE_PATH: pemFile(CERTIFICATE) })).toContain('holds no private key');
  });
});
