import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/db/api-keys-repository.ts';
import type { Finding } from '../src/db/schema.ts';
import type { Service } from '../src/service.ts';
import { seedFinding } from './api-harness.ts';
import { startTestService, testConfig } from './service-harness.ts';
import { createTestDatabase } from './test-database.ts';

/**
 * Drives the dashboard of a real `serve` (HTTP on 127.0.0.1, embedded
 * database) in headless Chromium, the way a security engineer would: sign in
 * with an API key, filter findings, acknowledge one, allowlist a place. Saves
 * screenshots of each page under docs/screenshots/.
 */

const SCREENSHOTS = join(import.meta.dirname, '..', 'docs', 'screenshots');
// Kept in the vault; the dashboard must never show it.
const VAULTED_SECRET = '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';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let service: Service;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let base: string;
let adminKey: string;
let seeded: Record<'liveSlack' | 'slackOld' | 'jiraOps' | 'jiraOps2' | 'confluence' | 'teams' | 'resolved', Finding>;
const requestedUrls: string[] = [];
const consoleErrors: string[] = [];

const daysAgo = (days: number, hour = 10) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days, hour));
};

async function seed() {
  const db = database.db;
  const person = async (platform: string, id: string, name: string, email: string) =>
    (
      await db
        .insertInto('identities')
        .values({
          platform,
          platform_user_id: id,
          display_name: name,
          email,
          slack_user_id: platform === 'slack' ? id : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const priya = await person('slack', 'U02PRIYA', 'Priya Raman', 'priya@example.com');
  const marco = await person('jira', '5b10ac8d82e05b22cc7d4ef5', 'Marco Rossi', 'marco@example.com');
  const lena = await person('teams', '29:1f2e-lena', 'Lena Vogel', 'lena@example.com');
  seeded = {
    liveSlack: await seedFinding(db, {
      detector: 'github-classic-pat',
      severity: 'critical',
      liveness: 'live',
      redacted: 'ghp_********fbC',
      ownerIdentityId: priya,
      firstSeenAt: daysAgo(2),
      places: [
        {
          platform: 'slack',
          container: 'C04DEPLOYS',
          item: '1732512000.001200',
          url: 'https://acme.slack.com/archives/C04DEPLOYS/p1732512000001200',
        },
      ],
    }),
    slackOld: await seedFinding(db, {
      detector: 'slack-bot-token',
      issuer: 'slack',
      severity: 'high',
      liveness: 'unknown',
      redacted: 'xoxb-********a9Qk',
      ownerIdentityId: priya,
      firstSeenAt: daysAgo(9),
      places: [{ platform: 'slack', container: 'C01RANDOM', item: '1731800000.000300' }],
    }),
    jiraOps: await seedFinding(db, {
      detector: 'gitlab-pat',
      issuer: 'gitlab',
      severity: 'high',
      status: 'notified',
      liveness: 'live',
      redacted: 'glpat-********x7Rz',
      ownerIdentityId: marco,
      firstSeenAt: daysAgo(6),
      places: [
        {
          platform: 'jira',
          container: 'OPS',
          item: 'OPS-1423#comment-88121',
          url: 'https://acme.atlassian.net/browse/OPS-1423',
        },
      ],
    }),
    jiraOps2: await seedFinding(db, {
      detector: 'npm-access-token',
      issuer: 'npm',
      severity: 'medium',
      liveness: 'dead',
      redacted: 'npm_********Qm2c',
      ownerIdentityId: marco,
      firstSeenAt: daysAgo(4),
      places: [{ platform: 'jira', container: 'OPS', item: 'OPS-1502' }],
    }),
    confluence: await seedFinding(db, {
      detector: 'github-classic-pat',
      severity: 'critical',
      status: 'acknowledged',
      liveness: 'live',
      redacted: 'ghp_********0kLw',
      firstSeenAt: daysAgo(12),
      places: [{ platform: 'confluence', container: 'ENG', item: 'page 884736 v12' }],
    }),
    teams: await seedFinding(db, {
      detector: 'slack-bot-token',
      issuer: 'slack',
      severity: 'high',
      liveness: 'not_attempted',
      redacted: 'xoxb-********p4Ts',
      ownerIdentityId: lena,
      firstSeenAt: daysAgo(1),
      places: [{ platform: 'teams', container: 'Platform / general', item: '1732600000123' }],
    }),
    resolved: await seedFinding(db, {
      detector: 'gitlab-pat',
      issuer: 'gitlab',
      severity: 'high',
      status: 'resolved',
      liveness: 'dead',
      redacted: 'glpat-********Hh3d',
      firstSeenAt: daysAgo(15),
      places: [{ platform: 'slack', container: 'C04DEPLOYS', item: '1731000000.000100' }],
    }),
  };
  await db
    .updateTable('findings')
    .set({ resolved_at: daysAgo(13) })
    .where('id', '=', seeded.resolved.id)
    .execute();
  for (const [finding, at] of [
    [seeded.liveSlack, daysAgo(2, 11)],
    [seeded.jiraOps, daysAgo(6, 11)],
    [seeded.confluence, daysAgo(12, 11)],
  ] as const) {
    const facts = JSON.stringify({ account: 'deploy-bot', scopes: ['repo', 'workflow'] });
    await db
      .insertInto('verifications')
      .values({ finding_id: finding.id, liveness: 'live', facts, checked_at: at })
      .execute();
    await db
      .updateTable('findings')
      .set({ verification_facts: facts, verified_at: at })
      .where('id', '=', finding.id)
      .execute();
  }
  await db
    .insertInto('secret_vault')
    .values({
      finding_id: seeded.liveSlack.id,
      sealed: service.ctx.vault!.seal(JSON.stringify({ secret: VAULTED_SECRET, parts: {} })),
    })
    .execute();
  await db
    .insertInto('connector_cursors')
    .values([
      { connector: 'slack:T0ACME', cursor: '1732600000.000100', last_polled_at: new Date(Date.now() - 40_000) },
      {
        connector: 'jira:acme.atlassian.net',
        cursor: '2026-11-26T09:58:00Z',
        last_polled_at: new Date(Date.now() - 45 * 60_000),
        last_error: 'HTTP 429 from Jira; retrying after 60 s',
      },
    ])
    .execute();
  await db
    .insertInto('backfill_runs')
    .values({
      platform: 'confluence',
      scope: JSON.stringify({ spaces: ['ENG', 'OPS'] }),
      items_done: 1840,
      documents: 5215,
    })
    .execute();
}

async function shot(name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  database = await createTestDatabase();
  ({ service } = await startTestService(database, testConfig({ PORT: '0', LEAKWATCH_HOST: '127.0.0.1' }), {
    http: true,
    workers: false,
  }));
  base = `http://127.0.0.1:${service.port}`;
  adminKey = (await createApiKey(database.db, { name: 'secops-admin', scopes: ['admin'] })).key;
  await seed();
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  page = await context.newPage();
  page.on('request', (request) => requestedUrls.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
  await database?.drop();
});

describe('dashboard in a browser', () => {
  it('asks for a key, refuses a wrong one, then signs in to the page first asked for', async () => {
    await page.goto(`${base}/findings`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await shot('sign-in');
    await page.getByLabel('API key').fill('lwk_this-is-not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('unknown or revoked');

    await page.getByLabel('API key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/findings`);
    const cookie = (await context.cookies()).find((c) => c.name === 'lw_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    expect(cookie.value).not.toContain(adminKey);
    const signIns = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'dashboard.signed_in')
      .execute();
    expect(signIns.map((a) => a.actor)).toEqual(['api-key:secops-admin']);
  });

  it('shows the overview with charts from nothing but this server', async () => {
    const response = await page.goto(`${base}/`);
    const csp = response!.headers()['content-security-policy']!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    await expect.poll(() => page.locator('svg.chart').count()).toBeGreaterThanOrEqual(3);
    const cards = await page.locator('.card').allTextContents();
    expect(cards.join(' ')).toMatch(/6\s*Need action/);
    expect(cards.join(' ')).toMatch(/3\s*Live credentials/);
    expect(await page.locator('svg.chart title').first().textContent()).toMatch(/open and \d+ live/);
    expect(await page.textContent('main')).toContain('jira:acme.atlassian.net');
    await shot('overview');
  });

  it('filters the findings table', async () => {
    await page.goto(`${base}/findings`);
    await page.getByLabel('Status').selectOption('open');
    await page.getByLabel('Platform').selectOption('slack');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/status=open/);
    expect(new URL(page.url()).searchParams.get('platform')).toBe('slack');
    const rows = page.getByRole('table', { name: 'Findings' }).locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const text = await rows.allTextContents();
    expect(text.join(' ')).toContain('ghp_********fbC');
    expect(text.join(' ')).toContain('xoxb-********a9Qk');
    expect(text.join(' ')).not.toContain('glpat-');
    await shot('findings-filtered');
  });

  it('acknowledges a finding from the table, audited as the signed-in key', async () => {
    await page.getByRole('button', { name: 'Acknowledge xoxb-********a9Qk' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('Acknowledged');
    // Back on the same filtered list, where it no longer is (it is no longer open).
    expect(new URL(page.url()).searchParams.get('status')).toBe('open');
    await expect.poll(() => page.getByRole('table', { name: 'Findings' }).locator('tbody tr').count()).toBe(1);
    const row = await database.db
      .selectFrom('findings')
      .select('status')
      .where('id', '=', seeded.slackOld.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('acknowledged');
    const audit = await database.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', seeded.slackOld.id)
      .execute();
    expect(audit.map((a) => [a.action, a.actor])).toEqual([['finding.acknowledged', 'api-key:secops-admin']]);
  });

  it('refuses a form post without the session’s CSRF token', async () => {
    const response = await context.request.post(`${base}/findings/${seeded.liveSlack.id}/acknowledge`, {
      form: { _csrf: 'forged' },
      maxRedirects: 0,
    });
    expect(response.status()).toBe(403);
    const row = await database.db
      .selectFrom('findings')
      .select('status')
      .where('id', '=', seeded.liveSlack.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('open');
  });

  it('shows a finding with its places, history and actions, never the secret', async () => {
    await page.goto(`${base}/findings/${seeded.liveSlack.id}`);
    const main = (await page.textContent('main'))!;
    expect(main).toContain('ghp_********fbC');
    expect(main).toContain('C04DEPLOYS');
    expect(main).toContain('account deploy-bot');
    expect(main).toContain('Priya Raman');
    expect(await page.content()).not.toContain(VAULTED_SECRET);
    await expect.poll(() => page.getByRole('button', { name: /Revoke/ }).count()).toBe(1);
    expect(await page.getByRole('link', { name: '1732512000.001200' }).getAttribute('href')).toBe(
      'https://acme.slack.com/archives/C04DEPLOYS/p1732512000001200',
    );
    await shot('finding-detail');
  });

  it('previews and adds an allowlist entry that closes what the preview said', async () => {
    await page.goto(`${base}/allowlist`);
    const form = page.getByRole('form', { name: 'New allowlist entry' });
    await form.getByLabel('Kind').selectOption('place');
    await form.getByLabel('Platform', { exact: true }).fill('jira');
    await form.getByLabel('Container', { exact: true }).fill('OPS');
    await form.getByLabel('Reason').fill('OPS runbooks quote revoked sample tokens');
    await form.getByRole('button', { name: 'Preview' }).click();
    const preview = page.getByLabel('Preview');
    await expect.poll(() => preview.textContent()).toContain('would close 2 open finding(s)');
    await shot('allowlist-preview');

    await page.getByRole('form', { name: 'New allowlist entry' }).getByRole('button', { name: 'Create entry' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('it closed 2 open finding(s)');
    const entries = page.getByRole('table', { name: 'Allowlist entries' }).locator('tbody tr');
    await expect.poll(() => entries.count()).toBe(1);
    expect(await entries.first().textContent()).toContain('OPS runbooks quote revoked sample tokens');
    const statuses = await database.db
      .selectFrom('findings')
      .select('status')
      .where('id', 'in', [seeded.jiraOps.id, seeded.jiraOps2.id])
      .execute();
    expect(statuses.map((s) => s.status)).toEqual(['allowlisted', 'allowlisted']);
    await shot('allowlist');
  });

  it('shows identities, connector health and the audit log', async () => {
    await page.goto(`${base}/identities`);
    expect(await page.getByRole('table', { name: 'Identities' }).locator('tbody tr').count()).toBe(3);
    await shot('identities');

    await page.goto(`${base}/connectors`);
    const connectors = (await page.getByRole('table', { name: 'Connectors' }).textContent())!;
    expect(connectors).toContain('slack:T0ACME');
    expect(connectors).toContain('HTTP 429 from Jira');
    expect(await page.locator('td.lag-bad').count()).toBe(1);
    expect(await page.getByRole('table', { name: 'Backfills' }).textContent()).toContain('5215');
    await shot('connectors');

    await page.goto(`${base}/audit`);
    const audit = (await page.getByRole('table', { name: 'Audit log' }).textContent())!;
    expect(audit).toContain('finding.acknowledged');
    expect(audit).toContain('allowlist.created');
    expect(audit).toContain('finding.allowlisted');
    await shot('audit-log');
    await page.getByLabel('Action').fill('allowlist.');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL(/action=allowlist/);
    expect(await page.getByRole('table', { name: 'Audit log' }).locator('tbody tr').count()).toBe(1);
  });

  it('signs out, and loaded nothing from anywhere else nor broke the content security policy', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/sign-in`);
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(requestedUrls.filter((u) => !u.startsWith(base))).toEqual([]);
    // A refused sign-in is logged as a failed load (401); a blocked resource or inline code would be a CSP report.
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
  });

  it('gives a read-only key no actions and no admin pages, and ends its session when the key is revoked', async () => {
    const reader = await createApiKey(database.db, { name: 'auditor', scopes: ['findings:read'] });
    const readerContext = await browser.newContext();
    const readerPage = await readerContext.newPage();
    try {
      await readerPage.goto(`${base}/sign-in`);
      await readerPage.getByLabel('API key').fill(reader.key);
      await readerPage.getByRole('button', { name: 'Sign in' }).click();
      await readerPage.waitForURL(`${base}/`);
      expect(await readerPage.getByRole('link', { name: 'Connectors' }).count()).toBe(0);
      await readerPage.goto(`${base}/findings`);
      expect(await readerPage.getByRole('button', { name: /Acknowledge/ }).count()).toBe(0);
      await readerPage.goto(`${base}/findings/${seeded.teams.id}`);
      expect(await readerPage.getByRole('region', { name: 'Actions' }).count()).toBe(0);
      const forbidden = await readerPage.goto(`${base}/connectors`);
      expect(forbidden!.status()).toBe(403);
      expect(await readerPage.textContent('main')).toContain('lacks the "admin" scope');

      await database.db
        .updateTable('api_keys')
        .set({ revoked_at: new Date() })
        .where('id', '=', reader.record.id)
        .execute();
      await readerPage.goto(`${base}/findings`);
      expect(new URL(readerPage.url()).pathname).toBe('/sign-in');
    } finally {
      await readerContext.close();
    }
  });
});
