import { createHmac, randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { getResponse } from 'msw';
import { hashicorpVaultDetectors } from '../../detectors/hashicorp-vault.ts';
import { adf, CLOUD_SITE, FakeJira, type FakeUser } from '../../integrations/jira/jira-fake-server.ts';
import { createScanner } from '../../src/detection/scanner.ts';
import { listen, type RunningServer } from '../../src/demo/stand-in-server.ts';
import type { FaultUpstreams } from './fault-upstreams.ts';
import { sleep } from './leakwatch-processes.ts';
import { UpstreamStorm } from './upstream-storm.ts';

/** The project every planted issue lives in. */
export const JIRA_PROJECT = 'FLT';

/**
 * The Jira tests' in-memory Jira Cloud (`FakeJira`, msw handlers) served on a
 * real port on 127.0.0.1, so `leakwatch serve`/`worker` processes reach it
 * through `JIRA_URL`: each request is re-addressed to the fake's site and
 * answered by its handlers via msw's `getResponse`. An `UpstreamStorm` sits in
 * front; every request is counted by path.
 */
export class StandInJira {
  readonly jira = new FakeJira('cloud');
  readonly storm = new UpstreamStorm();
  readonly webhookSecret = randomBytes(16).toString('hex');
  /** Every request received (storm or not), by `METHOD path`. */
  readonly calls = new Map<string, number>();
  readonly #handlers = this.jira.handlers();
  #server: RunningServer | undefined;
  url = '';

  async start(): Promise<void> {
    const app = new Hono();
    app.use('*', async (c, next) => {
      const label = `${c.req.method} ${c.req.path}`;
      this.calls.set(label, (this.calls.get(label) ?? 0) + 1);
      return next();
    });
    app.use('*', this.storm.middleware());
    app.all('*', async (c) => {
      const url = new URL(c.req.url);
      const hasBody = c.req.method !== 'GET' && c.req.method !== 'HEAD';
      const request = new Request(`${CLOUD_SITE}${url.pathname}${url.search}`, {
        method: c.req.method,
        headers: c.req.raw.headers,
        ...(hasBody ? { body: await c.req.arrayBuffer() } : {}),
      });
      const response = await getResponse(this.#handlers, request);
      return response ?? c.json({ errorMessages: ['No such resource.'] }, 404);
    });
    this.#server = await listen(app);
    this.url = this.#server.url;
  }

  async stop(): Promise<void> {
    this.storm.stop();
    await this.#server?.close();
  }

  /** Total requests received so far. */
  get requests(): number {
    let total = 0;
    for (const n of this.calls.values()) total += n;
    return total;
  }

  /** The environment leakwatch needs to talk to this Jira Cloud (basic auth, webhooks signed with `webhookSecret`). */
  leakwatchEnvironment(): NodeJS.ProcessEnv {
    return {
      JIRA_URL: this.url,
      JIRA_DEPLOYMENT: 'cloud',
      JIRA_EMAIL: 'leakwatch@faults.test',
      JIRA_API_TOKEN: `ATATT-${randomBytes(12).toString('hex')}`,
      JIRA_WEBHOOK_SECRET: this.webhookSecret,
      JIRA_PROJECTS: JIRA_PROJECT,
      JIRA_REQUESTS_PER_SECOND: '100',
      JIRA_REQUEST_TIMEOUT_MS: '2000',
      JIRA_HISTORY_REDACTION: 'false',
      // Webhooks are what this harness drives; the poll (the safety net) stays out of the way.
      LEAKWATCH_POLL_INTERVAL: '86400',
    };
  }
}

/** One Jira webhook delivery about a comment carrying one live Vault token that only it contains. */
export interface JiraPlantedEvent {
  index: number;
  /** `comment_created` without the comment body (leakwatch fetches the comment) or `jira:issue_updated` (fetches the issue). */
  webhookEvent: 'comment_created' | 'jira:issue_updated';
  token: string;
  fingerprint: string;
  /** `X-Atlassian-Webhook-Identifier`, unchanged across Jira's retries. */
  id: string;
  /** The request body, sent unchanged on every retry. */
  body: string;
}

/**
 * Plants `count` issues in the stand-in Jira, each with one comment holding a
 * distinct Vault token issued at the stand-in Vault, written by a person of
 * the stand-in Slack workspace (same email, so the owner DM goes to them).
 * Even events are `comment_created` deliveries whose payload leaves the body
 * out, odd ones `jira:issue_updated`: either way leakwatch must read Jira.
 */
export function plantJiraEvents(
  standIn: StandInJira,
  upstreams: FaultUpstreams,
  fingerprintKey: string,
  options: { count: number; firstIndex: number; tag: string },
): JiraPlantedEvent[] {
  const scanner = createScanner({ detectors: hashicorpVaultDetectors, fingerprintKey });
  const events: JiraPlantedEvent[] = [];
  const now = Date.now();
  for (let n = 0; n < options.count; n++) {
    const index = options.firstIndex + n;
    const token = `hvs.${randomBytes(24).toString('base64url')}`;
    upstreams.issuer.issue('vault', token, `jira-deploy-${index}`);
    const person = upstreams.people[index % upstreams.people.length]!;
    const author: FakeUser = { id: `acc-${person.id}`, name: person.realName, email: person.email! };
    const text = `${options.tag} #${index}: deploy with VAULT_TOKEN=${token} until the rotation lands`;
    const [match] = scanner.scan(text);
    if (!match || match.detectorId !== 'hashicorp-vault-service-token')
      throw new Error('planted token not detected by the scanner');
    const key = `${JIRA_PROJECT}-${index + 1}`;
    const comment = standIn.jira.comment(author, adf([[text]]), new Date(now));
    const issue = standIn.jira.addIssue({
      key,
      updated: new Date(now),
      creator: author,
      fields: { summary: `Deploy ${index}` },
      comments: [comment],
    });
    const webhookEvent = index % 2 === 0 ? 'comment_created' : 'jira:issue_updated';
    const issueRef = { id: issue.id, key, fields: { project: { key: JIRA_PROJECT } } };
    const user = { accountId: author.id, displayName: author.name, emailAddress: author.email };
    const payload =
      webhookEvent === 'comment_created'
        ? {
            timestamp: now,
            webhookEvent,
            issue: issueRef,
            // Jira leaves the body out of some deliveries (visibility restrictions, size): leakwatch reads it.
            comment: {
              id: comment.id,
              author: user,
              updateAuthor: user,
              created: comment.created,
              updated: comment.updated,
            },
          }
        : { timestamp: now, webhookEvent, issue_event_type_name: 'issue_commented', issue: issueRef, user };
    events.push({
      index,
      webhookEvent,
      token,
      fingerprint: match.fingerprint,
      id: `${options.tag}-${randomBytes(8).toString('hex')}-${index}`,
      body: JSON.stringify(payload),
    });
  }
  return events;
}

export interface WebhookDriverReport {
  sent: number;
  acknowledged: Set<number>;
  retries: number;
  gaveUp: number[];
  failures: Map<string, number>;
}

/**
 * Delivers webhooks the way Jira does: each event on its own (Jira sends them
 * independently), the first attempts spread evenly over `spreadMs`, signed
 * (`X-Hub-Signature: sha256=…`), the same body and
 * `X-Atlassian-Webhook-Identifier` on every retry, a retry after anything
 * but 2xx with exponential back-off (Jira's schedule compressed: 1, 2, 4, 8,
 * 8… s) and a 10 s timeout per delivery.
 */
export async function driveJiraWebhooks(
  events: readonly JiraPlantedEvent[],
  options: { baseUrl: string; secret: string; spreadMs: number; maxAttempts?: number; onSend?: () => void },
): Promise<WebhookDriverReport> {
  const report: WebhookDriverReport = {
    sent: 0,
    acknowledged: new Set(),
    retries: 0,
    gaveUp: [],
    failures: new Map(),
  };
  const maxAttempts = options.maxAttempts ?? 30;
  const fail = (what: string) => report.failures.set(what, (report.failures.get(what) ?? 0) + 1);
  const sendOne = async (event: JiraPlantedEvent, delayMs: number) => {
    await sleep(delayMs);
    const signature = `sha256=${createHmac('sha256', options.secret).update(event.body).digest('hex')}`;
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0) {
        report.retries++;
        await sleep(Math.min(8000, 1000 * 2 ** (attempt - 1)));
      }
      report.sent++;
      options.onSend?.();
      try {
        const response = await fetch(`${options.baseUrl}/webhooks/jira`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-hub-signature': signature,
            'x-atlassian-webhook-identifier': event.id,
            'user-agent': 'Atlassian Webhook HTTP Client',
          },
          body: event.body,
          signal: AbortSignal.timeout(10_000),
        });
        await response.body?.cancel();
        if (response.ok) {
          report.acknowledged.add(event.index);
          return;
        }
        fail(String(response.status));
      } catch (error) {
        fail((error as Error).name === 'TimeoutError' ? 'timeout' : 'net');
      }
    }
    report.gaveUp.push(event.index);
  };
  await Promise.all(events.map((event, n) => sendOne(event, (n * options.spreadMs) / events.length)));
  return report;
}
