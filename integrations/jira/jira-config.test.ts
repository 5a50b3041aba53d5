import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { useMswServer } from '../../test/msw-server.ts';
import { loadJiraConfig, resolveJiraDeployment } from './jira-config.ts';

const server = useMswServer();
const TOKEN = 'ATATT3xFfGF0-secret-api-token-value';

describe('loadJiraConfig', () => {
  it('is off when neither a URL nor credentials are set', () => {
    expect(loadJiraConfig({})).toBeUndefined();
    expect(loadJiraConfig({ JIRA_URL: '  ' })).toBeUndefined();
  });

  it('reads a Cloud site with an API token, inferring Cloud from the host and applying defaults', () => {
    const config = loadJiraConfig({
      JIRA_URL: 'https://acme.atlassian.net/',
      JIRA_EMAIL: 'bot@acme.example',
      JIRA_API_TOKEN: TOKEN,
      JIRA_PROJECTS: 'ops, eng,OPS',
    })!;
    expect(config).toMatchObject({
      url: 'https://acme.atlassian.net',
      host: 'acme.atlassian.net',
      deployment: 'cloud',
      projects: ['OPS', 'ENG'],
      pollIntervalSeconds: 60,
      maxAttachmentBytes: 1024 * 1024,
      historyRedaction: true,
      webhookSecret: undefined,
    });
    expect(config.auth).toMatchObject({ kind: 'basic', email: 'bot@acme.example' });
    // Credentials are Secrets: a logged or serialised config never shows them.
    expect(JSON.stringify(config)).not.toContain(TOKEN);
    expect(String((config.auth as { apiToken: unknown }).apiToken)).not.toContain(TOKEN);
  });

  it('reads a Data Center site with a PAT and leaves the deployment to detection', () => {
    const config = loadJiraConfig({
      JIRA_URL: 'https://jira.corp.example/jira',
      JIRA_PAT: 'NjM4MzQ1OTk0MjQ3Ok',
      JIRA_WEBHOOK_SECRET: 'a-webhook-secret-of-32-characters',
      LEAKWATCH_POLL_INTERVAL: '300',
      JIRA_MAX_ATTACHMENT_BYTES: '0',
    })!;
    expect(config).toMatchObject({
      url: 'https://jira.corp.example/jira',
      host: 'jira.corp.example',
      deployment: undefined,
      pollIntervalSeconds: 300,
      maxAttachmentBytes: 0,
    });
    expect(config.auth.kind).toBe('pat');
    expect(config.webhookSecret?.reveal()).toBe('a-webhook-secret-of-32-characters');
  });

  it('accepts an OAuth access token and an explicit deployment override', () => {
    const config = loadJiraConfig({
      JIRA_URL: 'https://jira.acme.example',
      JIRA_OAUTH_TOKEN: 'eyJhbGciOi.oauth.token',
      JIRA_CLOUD_ID: '1324a887-45db-1bf4-1e99-ef0ff456d421',
      JIRA_DEPLOYMENT: 'cloud',
    })!;
    expect(config.deployment).toBe('cloud');
    expect(config.auth).toMatchObject({ kind: 'oauth', cloudId: '1324a887-45db-1bf4-1e99-ef0ff456d421' });
  });

  it.each([
    [{ JIRA_URL: 'https://acme.atlassian.net' }, 'JIRA_URL: is set but no credentials'],
    [{ JIRA_PAT: 'x' }, 'JIRA_URL: is required'],
    [{ JIRA_URL: 'https://acme.atlassian.net', JIRA_EMAIL: 'bot@acme.example' }, 'JIRA_API_TOKEN'],
    [{ JIRA_URL: 'https://acme.atlassian.net', JIRA_API_TOKEN: TOKEN }, 'JIRA_EMAIL'],
    [{ JIRA_URL: 'ftp://acme', JIRA_PAT: 'x' }, 'JIRA_URL'],
    [{ JIRA_URL: 'https://j.example', JIRA_PAT: 'x', JIRA_OAUTH_TOKEN: 'y' }, 'set only one way to sign in'],
    [{ JIRA_URL: 'https://acme.atlassian.net', JIRA_PAT: 'x' }, 'JIRA_PAT: personal access tokens are a Data Center'],
    [{ JIRA_URL: 'https://j.example', JIRA_PAT: 'x', JIRA_PROJECTS: 'OPS,not a key' }, 'JIRA_PROJECTS'],
    [{ JIRA_URL: 'https://j.example', JIRA_PAT: 'x', JIRA_DEPLOYMENT: 'server' }, 'JIRA_DEPLOYMENT'],
    [{ JIRA_URL: 'https://j.example', JIRA_PAT: 'x', LEAKWATCH_POLL_INTERVAL: 'soon' }, 'LEAKWATCH_POLL_INTERVAL'],
    [{ JIRA_URL: 'https://j.example', JIRA_PAT: 'x', JIRA_MAX_ATTACHMENT_BYTES: '-1' }, 'JIRA_MAX_ATTACHMENT_BYTES'],
    [{ JIRA_URL: 'https://j.example', JIRA_PAT: 'x', JIRA_WEBHOOK_SECRET: 'short' }, 'JIRA_WEBHOOK_SECRET'],
  ])('rejects %j naming the variable', (env, message) => {
    expect(() => loadJiraConfig(env)).toThrow(message);
  });
});

describe('resolveJiraDeployment', () => {
  it('asks serverInfo when the host does not say, and reads deploymentType', async () => {
    server.use(
      http.get('https://jira.corp.example/rest/api/2/serverInfo', () =>
        HttpResponse.json({ baseUrl: 'https://jira.corp.example', version: '9.12.3', deploymentType: 'DataCenter' }),
      ),
      http.get('https://jira.other.example/rest/api/2/serverInfo', () =>
        HttpResponse.json({
          baseUrl: 'https://jira.other.example',
          version: '1001.0.0-SNAPSHOT',
          deploymentType: 'Cloud',
        }),
      ),
    );
    const dc = loadJiraConfig({ JIRA_URL: 'https://jira.corp.example', JIRA_PAT: 'x' })!;
    expect(await resolveJiraDeployment(dc)).toBe('datacenter');
    const vanity = loadJiraConfig({
      JIRA_URL: 'https://jira.other.example',
      JIRA_EMAIL: 'a@b.c',
      JIRA_API_TOKEN: 't',
    })!;
    expect(await resolveJiraDeployment(vanity)).toBe('cloud');
  });

  it('does not ask when the deployment is known', async () => {
    const cloud = loadJiraConfig({ JIRA_URL: 'https://acme.atlassian.net', JIRA_EMAIL: 'a@b.c', JIRA_API_TOKEN: 't' })!;
    expect(await resolveJiraDeployment(cloud)).toBe('cloud');
  });

  it('fails with advice to set JIRA_DEPLOYMENT when serverInfo is unusable, and refuses a PAT on Cloud', async () => {
    server.use(
      http.get('https://jira.down.example/rest/api/2/serverInfo', () => new HttpResponse('<html>', { status: 502 })),
      http.get('https://jira.vanity.example/rest/api/2/serverInfo', () =>
        HttpResponse.json({ deploymentType: 'Cloud' }),
      ),
    );
    const down = loadJiraConfig({ JIRA_URL: 'https://jira.down.example', JIRA_PAT: 'x' })!;
    await expect(resolveJiraDeployment(down)).rejects.toThrow('JIRA_DEPLOYMENT');
    const vanity = loadJiraConfig({ JIRA_URL: 'https://jira.vanity.example', JIRA_PAT: 'x' })!;
    await expect(resolveJiraDeployment(vanity)).rejects.toThrow('JIRA_PAT');
  });
});
