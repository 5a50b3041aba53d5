import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { hashicorpVaultDetectors } from '../../detectors/hashicorp-vault.ts';
import { createScanner } from '../../src/detection/scanner.ts';
import { FakeGraph, type GraphPerson } from '../../src/demo/fake-graph.ts';
import { createSelfSignedCertificate } from '../../src/demo/self-signed-certificate.ts';
import { listen, type RunningServer } from '../../src/demo/stand-in-server.ts';
import type { FaultUpstreams } from './fault-upstreams.ts';
import { UpstreamStorm } from './upstream-storm.ts';

/**
 * The demo's stand-in Microsoft cloud (Entra ID token endpoint + Graph v1.0
 * with change-notification subscriptions, `FakeGraph`) for one tenant, served
 * over https on 127.0.0.1 (msal-node insists on https) with a throwaway
 * certificate the leakwatch processes trust through `NODE_EXTRA_CA_CERTS`.
 * An `UpstreamStorm` sits in front of Graph (`/v1.0/*`; the login is left
 * alone, its token is cached for an hour anyway). The stand-in notifies
 * leakwatch's `/webhooks/teams` itself, as Graph does, retrying failed
 * deliveries.
 */
export class StandInGraph {
  readonly tenantId = randomUUID();
  readonly clientId = randomUUID();
  readonly clientSecret = randomBytes(16).toString('hex');
  readonly clientState = randomBytes(16).toString('hex');
  readonly teamId = randomUUID();
  readonly channelId = `19:${randomBytes(16).toString('hex')}@thread.tacv2`;
  readonly graph: FakeGraph;
  readonly storm = new UpstreamStorm();
  /** Every Graph request received (storm or not), by `METHOD path`. */
  readonly calls = new Map<string, number>();
  /** Graph people by email (the stand-in Slack's people, so owner DMs go to them). */
  readonly #people = new Map<string, GraphPerson>();
  readonly #dir = mkdtempSync(join(tmpdir(), 'lw-graph-'));
  readonly #caFile = join(this.#dir, 'ca.pem');
  #server: RunningServer | undefined;
  url = '';

  constructor() {
    const bot: GraphPerson = {
      id: randomUUID(),
      displayName: 'leakwatch',
      mail: 'leakwatch@faults.test',
      userPrincipalName: 'leakwatch@faults.test',
      accountEnabled: true,
    };
    this.graph = new FakeGraph({
      tenantId: this.tenantId,
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      delegatedToken: randomBytes(24).toString('base64url'),
      delegatedUser: bot,
      // Graph retries a failed notification for hours; compressed here.
      retryDelaysSeconds: [1, 2, 4, 8, 16],
    });
    this.graph.addTeam({
      id: this.teamId,
      displayName: 'Faults',
      channels: [{ id: this.channelId, displayName: 'General' }],
    });
  }

  async start(): Promise<void> {
    const certificate = createSelfSignedCertificate('leakwatch faults (stand-in Microsoft cloud)');
    writeFileSync(this.#caFile, certificate.cert);
    const app = new Hono();
    app.use('/v1.0/*', async (c, next) => {
      const label = `${c.req.method} ${c.req.path}`;
      this.calls.set(label, (this.calls.get(label) ?? 0) + 1);
      return next();
    });
    app.use('/v1.0/*', this.storm.middleware());
    app.route('/', this.graph.app);
    this.#server = await listen(app, { tls: certificate });
    this.url = this.#server.url;
    this.graph.setBaseUrl(this.url);
  }

  async stop(): Promise<void> {
    this.storm.stop();
    await this.#server?.close();
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** The Graph person posting as the stand-in Slack person with `email`. */
  person(email: string, name: string): GraphPerson {
    let person = this.#people.get(email);
    if (!person) {
      person = { id: randomUUID(), displayName: name, mail: email, userPrincipalName: email, accountEnabled: true };
      this.#people.set(email, person);
      this.graph.addPerson(person);
    }
    return person;
  }

  /** The environment leakwatch needs for this tenant; `leakwatchUrl` is where Graph delivers notifications. */
  leakwatchEnvironment(leakwatchUrl: string): NodeJS.ProcessEnv {
    return {
      TEAMS_TENANT_ID: this.tenantId,
      TEAMS_CLIENT_ID: this.clientId,
      TEAMS_CLIENT_SECRET: this.clientSecret,
      TEAMS_CLIENT_STATE: this.clientState,
      TEAMS_NOTIFICATION_URL: `${leakwatchUrl}/webhooks/teams`,
      TEAMS_CHATS: 'off',
      GRAPH_API_URL: this.url,
      GRAPH_LOGIN_URL: this.url,
      NODE_EXTRA_CA_CERTS: this.#caFile,
    };
  }
}

/** One channel message carrying one live Vault token that only it contains. */
export interface GraphPlantedEvent {
  index: number;
  token: string;
  fingerprint: string;
  /** Posts the message (Graph then notifies leakwatch and retries until it answers 2xx). */
  post(): Promise<void>;
}

/** Plants `count` channel messages by people of the stand-in Slack workspace (same email), each with its own token. */
export function plantGraphEvents(
  standIn: StandInGraph,
  upstreams: FaultUpstreams,
  fingerprintKey: string,
  options: { count: number; firstIndex: number; tag: string },
): GraphPlantedEvent[] {
  const scanner = createScanner({ detectors: hashicorpVaultDetectors, fingerprintKey });
  const events: GraphPlantedEvent[] = [];
  for (let n = 0; n < options.count; n++) {
    const index = options.firstIndex + n;
    const token = `hvs.${randomBytes(24).toString('base64url')}`;
    upstreams.issuer.issue('vault', token, `teams-deploy-${index}`);
    const slackPerson = upstreams.people[index % upstreams.people.length]!;
    const person = standIn.person(slackPerson.email!, slackPerson.realName);
    const text = `${options.tag} #${index}: deploy with VAULT_TOKEN=${token} until the rotation lands`;
    const [match] = scanner.scan(text);
    if (!match || match.detectorId !== 'hashicorp-vault-service-token')
      throw new Error('planted token not detected by the scanner');
    events.push({
      index,
      token,
      fingerprint: match.fingerprint,
      post: async () => {
        await standIn.graph.postAsUser(person.id, standIn.teamId, standIn.channelId, `<p>${text}</p>`);
      },
    });
  }
  return events;
}
