import { createHash, randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import { FakeIssuer } from '../../src/demo/fake-issuer.ts';
import { FakeSlack, type SlackPerson } from '../../src/demo/fake-slack.ts';
import { listen, type RunningServer } from '../../src/demo/stand-in-server.ts';
import { UpstreamStorm } from './upstream-storm.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

/** sha256 of a token, the way the counters key it (the harness never keeps raw tokens around longer than needed). */
export function tokenKey(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export interface UpstreamsOptions {
  /** How many people post in the workspace (authors of the planted messages). */
  people: number;
}

/**
 * The world leakwatch talks to during a fault run, on 127.0.0.1: the demo's
 * stand-in Slack (DMs land in its message store) and stand-in Vault (tokens
 * live until revoked), each behind an `UpstreamStorm` switch, with counters
 * for what the tests assert: owner DMs per finding, revoke calls per token.
 */
export class FaultUpstreams {
  readonly slack: FakeSlack;
  readonly issuer = new FakeIssuer();
  readonly slackStorm = new UpstreamStorm();
  readonly issuerStorm = new UpstreamStorm();
  readonly people: SlackPerson[] = [];
  readonly channel = 'C0FAULTS1';
  readonly teamId = 'T0FAULTS1';
  readonly botToken = `xoxb-${randomBytes(12).toString('hex')}`;
  readonly signingSecret = randomBytes(16).toString('hex');
  /** Revoke calls the issuer received, by token key. */
  readonly revokeCalls = new Map<string, number>();
  /** Every Slack Web API call, by method. */
  readonly slackCalls = new Map<string, number>();
  issuerChecks = 0;
  /** Added to every issuer answer: issuers are remote in production (a liveness check takes 100–500 ms). */
  issuerLatencyMs = 0;
  #servers: RunningServer[] = [];
  slackUrl = '';
  issuerUrl = '';

  constructor(options: UpstreamsOptions) {
    const bot: SlackPerson = { id: 'U0FAULTBOT', name: 'leakwatch', realName: 'leakwatch', isBot: true };
    const admin: SlackPerson = { id: 'U0FAULTADM', name: 'admin', realName: 'Admin', isAdmin: true };
    this.slack = new FakeSlack({
      teamId: this.teamId,
      teamName: 'Faults Inc',
      botUser: bot,
      botToken: this.botToken,
      adminToken: `xoxp-${randomBytes(12).toString('hex')}`,
      adminUser: admin,
      signingSecret: this.signingSecret,
    });
    for (let i = 0; i < options.people; i++) {
      const id = `U0P${String(i).padStart(5, '0')}`;
      const person = { id, name: `person${i}`, realName: `Person ${i}`, email: `person${i}@faults.test` };
      this.people.push(person);
      this.slack.addPerson(person);
    }
    this.slack.addChannel(
      this.channel,
      'general',
      this.people.map((p) => p.id),
    );
  }

  async start(): Promise<void> {
    const slackApp = new Hono();
    slackApp.use('/api/*', async (c, next) => {
      const method = c.req.path.slice('/api/'.length);
      this.slackCalls.set(method, (this.slackCalls.get(method) ?? 0) + 1);
      return next();
    });
    slackApp.use('/api/*', this.slackStorm.middleware());
    slackApp.route('/', this.slack.app);
    const issuerApp = new Hono();
    issuerApp.use('*', async (c, next) => {
      if (c.req.path.endsWith('/revoke-self')) {
        const key = tokenKey(c.req.header('x-vault-token') ?? '');
        this.revokeCalls.set(key, (this.revokeCalls.get(key) ?? 0) + 1);
      } else this.issuerChecks++;
      if (this.issuerLatencyMs > 0) await sleep(this.issuerLatencyMs);
      return next();
    });
    issuerApp.use('*', this.issuerStorm.middleware());
    issuerApp.route('/', this.issuer.app);
    const slackServer = await listen(slackApp);
    const issuerServer = await listen(issuerApp);
    this.#servers.push(slackServer, issuerServer);
    this.slackUrl = slackServer.url;
    this.issuerUrl = issuerServer.url;
    this.slack.setBaseUrl(slackServer.url);
  }

  async stop(): Promise<void> {
    this.slackStorm.stop();
    this.issuerStorm.stop();
    await Promise.all(this.#servers.splice(0).map((s) => s.close()));
  }

  /** Owner DMs sent so far, per finding id (read from the buttons, whose value is the finding id). */
  dmsPerFinding(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const message of this.slack.messages) {
      if (!message.channel.startsWith('D')) continue;
      const ids = new Set(JSON.stringify(message.blocks ?? []).match(UUID) ?? []);
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  get dmCount(): number {
    return this.slack.messages.filter((m) => m.channel.startsWith('D')).length;
  }

  /** The environment leakwatch needs to talk to these stand-ins. */
  leakwatchEnvironment(): NodeJS.ProcessEnv {
    return {
      SLACK_BOT_TOKEN: this.botToken,
      SLACK_SIGNING_SECRET: this.signingSecret,
      SLACK_API_URL: `${this.slackUrl}/api/`,
      SLACK_AUTO_REDACT: 'false',
      SLACK_REDACTION: 'off',
      SLACK_DIGEST_CRON: 'off',
      LEAKWATCH_VERIFY_ALLOW_PRIVATE: 'true',
      LEAKWATCH_VERIFY_BASE_URLS: `hashicorp-vault=${this.issuerUrl}/vault`,
      LEAKWATCH_VERIFY_TIMEOUT_MS: '3000',
      LEAKWATCH_VERIFY_HOST_RPS: '1000',
      LEAKWATCH_VERIFY_CONCURRENCY: '16',
      LEAKWATCH_REVOCATION_POLICY: JSON.stringify({
        default: 'manual',
        rules: [{ issuer: 'hashicorp-vault', mode: 'auto' }],
      }),
    };
  }
}
