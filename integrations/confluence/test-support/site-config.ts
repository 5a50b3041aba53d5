import { loadConfluenceConfig, type ConfluenceConfig } from '../confluence-config.ts';

export const CLOUD_URL = 'https://acme.atlassian.net';
export const DC_URL = 'https://wiki.corp.test/confluence';
export const CLOUD_API_TOKEN = 'ATATT3xFfGF0-cloud-api-token-for-tests-0123';
export const DC_PAT = 'NjM2NTQ4MzE2Nzg5OkQ8dc-pat-for-tests';
export const WEBHOOK_SECRET = 'confluence-webhook-secret-for-tests-0123';

/** Connector settings for the fake Cloud or Data Center site, with test-friendly pacing. */
export function siteConfig(deployment: 'cloud' | 'datacenter', env: Record<string, string> = {}): ConfluenceConfig {
  const base =
    deployment === 'cloud'
      ? { CONFLUENCE_URL: CLOUD_URL, CONFLUENCE_EMAIL: 'leakwatch@acme.test', CONFLUENCE_API_TOKEN: CLOUD_API_TOKEN }
      : { CONFLUENCE_URL: DC_URL, CONFLUENCE_PAT: DC_PAT, CONFLUENCE_WEBHOOK_SECRET: WEBHOOK_SECRET };
  return loadConfluenceConfig({ ...base, CONFLUENCE_REQUESTS_PER_SECOND: '1000', ...env })!;
}
