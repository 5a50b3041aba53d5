import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfluenceConfig } from './confluence-config.ts';

const TOKEN = 'ATATT3xFfGF0-test-token-value-0123456789';

describe('loadConfluenceConfig', () => {
  it('is off when CONFLUENCE_URL is not set', () => {
    expect(loadConfluenceConfig({})).toBeUndefined();
    expect(loadConfluenceConfig({ CONFLUENCE_URL: '  ' })).toBeUndefined();
  });

  it('detects Cloud from *.atlassian.net, drops /wiki and uses email + API token', () => {
    const config = loadConfluenceConfig({
      CONFLUENCE_URL: 'https://acme.atlassian.net/wiki/',
      CONFLUENCE_EMAIL: 'bot@acme.test',
      CONFLUENCE_API_TOKEN: TOKEN,
      CONFLUENCE_SPACES: 'ENG, OPS,,',
    })!;
    expect(config).toMatchObject({
      baseUrl: 'https://acme.atlassian.net',
      host: 'acme.atlassian.net',
      deployment: 'cloud',
      spaces: ['ENG', 'OPS'],
      pollIntervalSeconds: 60,
      pollOverlapSeconds: 300,
    });
    expect(config.auth).toMatchObject({ kind: 'basic', email: 'bot@acme.test' });
    // The token never prints: JSON, inspect and string interpolation show the redacted form.
    expect(JSON.stringify(config)).not.toContain(TOKEN);
    expect(inspect(config, { depth: 5 })).not.toContain(TOKEN);
  });

  it('treats other hosts as Data Center (context path kept) with a bearer PAT and a webhook secret', () => {
    const config = loadConfluenceConfig({
      CONFLUENCE_URL: 'https://wiki.corp.test/confluence',
      CONFLUENCE_PAT: 'NjM2NTQ4MzE2Nzg5OkQ8test',
      CONFLUENCE_WEBHOOK_SECRET: 'a-webhook-secret-of-32-characters',
      LEAKWATCH_POLL_INTERVAL: '300',
    })!;
    expect(config).toMatchObject({
      baseUrl: 'https://wiki.corp.test/confluence',
      host: 'wiki.corp.test',
      deployment: 'datacenter',
      pollIntervalSeconds: 300,
      auth: { kind: 'bearer' },
    });
    expect(config.webhookSecret?.reveal()).toBe('a-webhook-secret-of-32-characters');
  });

  it('lets CONFLUENCE_DEPLOYMENT override the detection', () => {
    const config = loadConfluenceConfig({
      CONFLUENCE_URL: 'https://confluence.acme.test',
      CONFLUENCE_DEPLOYMENT: 'cloud',
      CONFLUENCE_EMAIL: 'bot@acme.test',
      CONFLUENCE_API_TOKEN: TOKEN,
    })!;
    expect(config.deployment).toBe('cloud');
  });

  it.each([
    [{ CONFLUENCE_URL: 'acme.atlassian.net' }, 'CONFLUENCE_URL: must be an http(s) URL'],
    [{ CONFLUENCE_URL: 'https://acme.atlassian.net' }, 'CONFLUENCE_API_TOKEN: CONFLUENCE_URL is set'],
    [
      { CONFLUENCE_URL: 'https://acme.atlassian.net', CONFLUENCE_EMAIL: 'bot@acme.test' },
      'CONFLUENCE_API_TOKEN: required',
    ],
    [{ CONFLUENCE_URL: 'https://acme.atlassian.net', CONFLUENCE_API_TOKEN: TOKEN }, 'CONFLUENCE_EMAIL: required'],
    [{ CONFLUENCE_URL: 'https://acme.atlassian.net', CONFLUENCE_PAT: 'pat' }, 'CONFLUENCE_PAT: personal access tokens'],
    [
      { CONFLUENCE_URL: 'https://wiki.corp.test', CONFLUENCE_PAT: 'pat', CONFLUENCE_DEPLOYMENT: 'server' },
      'CONFLUENCE_DEPLOYMENT',
    ],
    [
      { CONFLUENCE_URL: 'https://wiki.corp.test', CONFLUENCE_PAT: 'pat', CONFLUENCE_SPACES: 'ENG,"x"' },
      'CONFLUENCE_SPACES',
    ],
    [
      { CONFLUENCE_URL: 'https://wiki.corp.test', CONFLUENCE_PAT: 'pat', LEAKWATCH_POLL_INTERVAL: 'soon' },
      'LEAKWATCH_POLL_INTERVAL',
    ],
    [
      { CONFLUENCE_URL: 'https://wiki.corp.test', CONFLUENCE_PAT: 'pat', CONFLUENCE_WEBHOOK_SECRET: 'short' },
      'CONFLUENCE_WEBHOOK_SECRET: must be at least 16',
    ],
    [
      {
        CONFLUENCE_URL: 'https://acme.atlassian.net',
        CONFLUENCE_EMAIL: 'bot@acme.test',
        CONFLUENCE_API_TOKEN: TOKEN,
        CONFLUENCE_WEBHOOK_SECRET: 'a-webhook-secret-of-32-characters',
      },
      'CONFLUENCE_WEBHOOK_SECRET: Confluence Cloud has no admin webhooks',
    ],
  ])('rejects %o naming the variable', (env, message) => {
    expect(() => loadConfluenceConfig(env)).toThrow(message);
  });
});
