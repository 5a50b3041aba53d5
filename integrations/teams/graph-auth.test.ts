import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { GraphThrottledError } from './graph-errors.ts';
import { createGraphTokenSource, GRAPH_SCOPE } from './graph-auth.ts';
import { loadTeamsConfig } from './teams-config.ts';

const server = useMswServer();
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT_ID = 'b5c9c0b6-6f2a-4a36-9c3e-0d2f3c1e9a11';

/** The token response shape Entra ID's v2 endpoint returns for client credentials. */
function tokenResponse(accessToken: string, expiresIn = 3599) {
  return HttpResponse.json({
    token_type: 'Bearer',
    expires_in: expiresIn,
    ext_expires_in: expiresIn,
    access_token: accessToken,
  });
}

/** OpenID configuration as a tenant's v2.0 discovery document lists it (trimmed to what msal reads). */
function openIdConfiguration(base: string) {
  return {
    issuer: `${base}/${TENANT}/v2.0`,
    authorization_endpoint: `${base}/${TENANT}/oauth2/v2.0/authorize`,
    token_endpoint: `${base}/${TENANT}/oauth2/v2.0/token`,
    end_session_endpoint: `${base}/${TENANT}/oauth2/v2.0/logout`,
    jwks_uri: `${base}/${TENANT}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
  };
}

describe('Graph token source (msal-node client credentials)', () => {
  it('gets a token from a custom login host via its openid-configuration and caches it', async () => {
    const base = 'https://login.fake.test';
    const bodies: URLSearchParams[] = [];
    let discovery = 0;
    server.use(
      http.get(`${base}/${TENANT}/v2.0/.well-known/openid-configuration`, () => {
        discovery++;
        return HttpResponse.json(openIdConfiguration(base));
      }),
      http.post(`${base}/${TENANT}/oauth2/v2.0/token`, async ({ request }) => {
        bodies.push(new URLSearchParams(await request.text()));
        return tokenResponse('access-token-1');
      }),
    );
    const config = loadTeamsConfig({
      TEAMS_TENANT_ID: TENANT,
      TEAMS_CLIENT_ID: CLIENT_ID,
      TEAMS_CLIENT_SECRET: 'app-secret-value',
      GRAPH_LOGIN_URL: base,
    })!;
    const tokens = createGraphTokenSource(config);
    expect(await tokens.token()).toBe('access-token-1');
    expect(await tokens.token()).toBe('access-token-1');
    expect(bodies).toHaveLength(1);
    expect(discovery).toBe(1);
    expect(Object.fromEntries(bodies[0]!)).toMatchObject({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: 'app-secret-value',
      scope: GRAPH_SCOPE,
    });
  });

  it('uses msal built-in metadata for login.microsoftonline.com (token call only) and refreshes near expiry', async () => {
    let issued = 0;
    server.use(
      http.post(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, () => {
        issued++;
        // msal renews tokens that expire within five minutes: this one is stale at once.
        return tokenResponse(`short-lived-${issued}`, 120);
      }),
    );
    const config = loadTeamsConfig({ TEAMS_TENANT_ID: TENANT, TEAMS_CLIENT_ID: CLIENT_ID, TEAMS_CLIENT_SECRET: 's' })!;
    const tokens = createGraphTokenSource(config);
    expect(await tokens.token()).toBe('short-lived-1');
    expect(await tokens.token()).toBe('short-lived-2');
  });

  it('turns a throttled token request into GraphThrottledError with the Retry-After delay', async () => {
    server.use(
      http.post(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, () =>
        HttpResponse.json(
          { error: 'temporarily_unavailable', error_description: 'AADSTS50196: request throttled' },
          { status: 429, headers: { 'Retry-After': '7' } },
        ),
      ),
    );
    const config = loadTeamsConfig({ TEAMS_TENANT_ID: TENANT, TEAMS_CLIENT_ID: CLIENT_ID, TEAMS_CLIENT_SECRET: 's' })!;
    const error = await createGraphTokenSource(config)
      .token()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphThrottledError);
    expect((error as GraphThrottledError).retryAfterSeconds).toBeGreaterThanOrEqual(6);
    expect((error as GraphThrottledError).retryAfterSeconds).toBeLessThanOrEqual(7);
  });

  it('reports a rejected credential with the Entra error code and without the secret', async () => {
    server.use(
      http.post(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, () =>
        HttpResponse.json(
          {
            error: 'invalid_client',
            error_description: 'AADSTS7000215: Invalid client secret provided.',
            error_codes: [7000215],
          },
          { status: 401 },
        ),
      ),
    );
    const config = loadTeamsConfig({
      TEAMS_TENANT_ID: TENANT,
      TEAMS_CLIENT_ID: CLIENT_ID,
      TEAMS_CLIENT_SECRET: 'wrong-secret-123',
    })!;
    const error = (await createGraphTokenSource(config)
      .token()
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('invalid_client');
    expect(error.message).not.toContain('wrong-secret-123');
  });

  it('signs a client assertion with the certificate key and its SHA-256 thumbprint', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const dir = mkdtempSync(join(tmpdir(), 'teams-cert-'));
    const path = join(dir, 'app.pem');
    writeFileSync(path, privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
    const thumbprint = 'ab'.repeat(32);
    let assertion: string | null = null;
    server.use(
      http.post(`https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`, async ({ request }) => {
        const body = new URLSearchParams(await request.text());
        expect(body.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
        expect(body.get('client_secret')).toBeNull();
        assertion = body.get('client_assertion');
        return tokenResponse('cert-token');
      }),
    );
    const config = loadTeamsConfig({
      TEAMS_TENANT_ID: TENANT,
      TEAMS_CLIENT_ID: CLIENT_ID,
      TEAMS_CERTIFICATE_PATH: path,
      TEAMS_CERTIFICATE_THUMBPRINT: thumbprint,
    })!;
    expect(await createGraphTokenSource(config).token()).toBe('cert-token');
    const header = JSON.parse(Buffer.from(assertion!.split('.')[0]!, 'base64url').toString()) as Record<string, string>;
    expect(header.alg).toBe('PS256');
    expect(Buffer.from(header['x5t#S256']!, 'base64url').toString('hex')).toBe(thumbprint);
  });
});
