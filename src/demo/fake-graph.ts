import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { escapeHtml, page } from './stand-in-page.ts';
import type { DeliveryFailure } from './delivery-failure.ts';
import type { SourceChange } from './source-change.ts';

export interface GraphPerson {
  /** Entra object id. */
  id: string;
  displayName: string;
  mail: string;
  userPrincipalName: string;
  accountEnabled: boolean;
}

export interface GraphChannel {
  id: string;
  displayName: string;
}

export interface GraphTeam {
  id: string;
  displayName: string;
  channels: GraphChannel[];
}

export interface GraphStoredMessage {
  id: string;
  teamId: string;
  channelId: string;
  from: string;
  /** HTML, as the Teams client writes it; emptied by a soft delete. */
  html: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  deletedDateTime: string | null;
}

interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl?: string;
  clientState?: string;
  expirationDateTime: string;
}

export interface FakeGraphOptions {
  tenantId: string;
  /** The app registration leakwatch signs in as (client credentials). */
  clientId: string;
  clientSecret: string;
  /** A delegated token of `delegatedUser` (ChannelMessage.ReadWrite), the only way Graph lets a message be soft-deleted. */
  delegatedToken: string;
  delegatedUser: GraphPerson;
  /** Seconds between notification attempts (Graph retries for hours; the demo waits less). */
  retryDelaysSeconds?: readonly number[];
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
/** Graph's limit for chatMessage subscriptions that have a lifecycle URL. */
const MAX_SUBSCRIPTION_MINUTES = 4320;

type Caller = { kind: 'app' } | { kind: 'delegated'; user: GraphPerson };

function hash(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * A stand-in Microsoft cloud for one tenant: Entra ID's client-credentials
 * token endpoint and OpenID configuration (what msal-node asks for), and the
 * Microsoft Graph v1.0 calls leakwatch's Teams integration makes — channel
 * messages, replies and delta, users, `me`, soft delete (delegated tokens
 * only, as in Graph), and change-notification subscriptions with Graph's
 * validation handshake. A user posting in a channel triggers a notification
 * to every matching subscription, carrying the subscriber's clientState.
 * Errors use Graph's `{ error: { code, message, innerError } }` shape.
 */
export class FakeGraph {
  readonly app: Hono<{ Variables: { caller: Caller } }>;
  readonly teams = new Map<string, GraphTeam>();
  readonly people = new Map<string, GraphPerson>();
  readonly messages: GraphStoredMessage[] = [];
  readonly subscriptions = new Map<string, Subscription>();
  readonly deliveryFailures: DeliveryFailure[] = [];
  readonly #options: FakeGraphOptions;
  readonly #retryDelays: readonly number[];
  /** Hashes of issued app tokens and when they expire. */
  readonly #appTokens = new Map<string, number>();
  readonly #deliveries = new Set<Promise<void>>();
  #baseUrl = 'https://127.0.0.1';
  #changeListener: ((change: SourceChange) => void) | undefined;
  #subscriptionListener: (() => void) | undefined;

  constructor(options: FakeGraphOptions) {
    this.#options = options;
    this.#retryDelays = options.retryDelaysSeconds ?? [1, 5];
    this.addPerson(options.delegatedUser);
    this.app = new Hono<{ Variables: { caller: Caller } }>();
    this.#loginRoutes();
    this.#graphRoutes();
  }

  /** Where the stand-in is served: both the login authority and the Graph base. */
  setBaseUrl(url: string): void {
    this.#baseUrl = url.replace(/\/+$/, '');
  }

  addPerson(person: GraphPerson): void {
    this.people.set(person.id, person);
  }

  addTeam(team: GraphTeam): void {
    this.teams.set(team.id, team);
  }

  onChange(listener: (change: SourceChange) => void): void {
    this.#changeListener = listener;
  }

  /** Called whenever a subscription is created. */
  onSubscription(listener: () => void): void {
    this.#subscriptionListener = listener;
  }

  /** A person posts in a channel from Teams: stored, then every matching subscription is notified. */
  async postAsUser(userId: string, teamId: string, channelId: string, html: string): Promise<GraphStoredMessage> {
    if (!this.people.has(userId) || !this.#channel(teamId, channelId)) throw new Error('unknown user, team or channel');
    const now = new Date().toISOString();
    const message: GraphStoredMessage = {
      id: String(Date.now() + this.messages.length),
      teamId,
      channelId,
      from: userId,
      html,
      createdDateTime: now,
      lastModifiedDateTime: now,
      deletedDateTime: null,
    };
    this.messages.push(message);
    await this.#notify(message, 'created');
    return message;
  }

  async settled(): Promise<void> {
    while (this.#deliveries.size > 0) await Promise.allSettled([...this.#deliveries]);
  }

  #channel(teamId: string, channelId: string): GraphChannel | undefined {
    return this.teams.get(teamId)?.channels.find((c) => c.id === channelId);
  }

  #error(c: Context, status: 400 | 401 | 403 | 404 | 405, code: string, message: string) {
    const date = new Date().toISOString().slice(0, 19);
    return c.json(
      { error: { code, message, innerError: { date, 'request-id': randomUUID(), 'client-request-id': randomUUID() } } },
      status,
    );
  }

  // ------------------------------------------------------------ Entra ID

  #loginRoutes(): void {
    const app = this.app;
    const tenant = this.#options.tenantId;
    app.get('/:tenant/v2.0/.well-known/openid-configuration', (c) => {
      if (c.req.param('tenant') !== tenant)
        return this.#aadError(c, 400, 'invalid_tenant', 'AADSTS90002: Tenant not found.');
      const base = `${this.#baseUrl}/${tenant}`;
      return c.json({
        token_endpoint: `${base}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${this.#baseUrl}/${tenant}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${base}/v2.0`,
        request_uri_parameter_supported: false,
        authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
        end_session_endpoint: `${base}/oauth2/v2.0/logout`,
        tenant_region_scope: 'EU',
      });
    });
    app.post('/:tenant/oauth2/v2.0/token', async (c) => {
      if (c.req.param('tenant') !== tenant)
        return this.#aadError(c, 400, 'invalid_tenant', 'AADSTS90002: Tenant not found.');
      const form = new URLSearchParams(await c.req.text());
      if (form.get('grant_type') !== 'client_credentials') {
        return this.#aadError(
          c,
          400,
          'unsupported_grant_type',
          'AADSTS70003: The app requested an unsupported grant type.',
        );
      }
      if (form.get('client_id') !== this.#options.clientId) {
        return this.#aadError(
          c,
          400,
          'unauthorized_client',
          `AADSTS700016: Application was not found in the directory.`,
        );
      }
      if (form.get('client_secret') !== this.#options.clientSecret) {
        return this.#aadError(c, 401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
      }
      if (form.get('scope') !== GRAPH_SCOPE) {
        return this.#aadError(c, 400, 'invalid_scope', 'AADSTS1002012: The provided value for scope is not valid.');
      }
      const accessToken = randomBytes(48).toString('base64url');
      this.#appTokens.set(hash(accessToken), Date.now() + 3599_000);
      return c.json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: accessToken });
    });
  }

  #aadError(c: Context, status: 400 | 401, error: string, description: string) {
    return c.json(
      {
        error,
        error_description: description,
        error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
        timestamp: new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z',
        trace_id: randomUUID(),
        correlation_id: randomUUID(),
      },
      status,
    );
  }

  // ------------------------------------------------------------ Graph v1.0

  #caller(c: Context): Caller | undefined {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (!token) return undefined;
    if (token === this.#options.delegatedToken) return { kind: 'delegated', user: this.#options.delegatedUser };
    const expires = this.#appTokens.get(hash(token));
    return expires !== undefined && expires > Date.now() ? { kind: 'app' } : undefined;
  }

  #wire(m: GraphStoredMessage) {
    const team = this.teams.get(m.teamId)!;
    const channel = this.#channel(m.teamId, m.channelId)!;
    const person = this.people.get(m.from);
    const webUrl = `${this.#baseUrl}/l/message/${encodeURIComponent(m.channelId)}/${m.id}?groupId=${m.teamId}&tenantId=${this.#options.tenantId}`;
    return {
      id: m.id,
      replyToId: null,
      etag: String(Date.parse(m.lastModifiedDateTime)),
      messageType: 'message',
      createdDateTime: m.createdDateTime,
      lastModifiedDateTime: m.lastModifiedDateTime,
      lastEditedDateTime: null,
      deletedDateTime: m.deletedDateTime,
      subject: null,
      summary: null,
      chatId: null,
      importance: 'normal',
      locale: 'en-us',
      webUrl,
      policyViolation: null,
      eventDetail: null,
      from: {
        application: null,
        device: null,
        user: {
          '@odata.type': '#microsoft.graph.teamworkUserIdentity',
          id: m.from,
          displayName: person?.displayName ?? null,
          userIdentityType: 'aadUser',
          tenantId: this.#options.tenantId,
        },
      },
      body: { contentType: 'html', content: m.deletedDateTime ? '' : m.html },
      channelIdentity: { teamId: team.id, channelId: channel.id },
      attachments: [],
      mentions: [],
      reactions: [],
      messageHistory: [],
    };
  }

  #message(c: Context): GraphStoredMessage | undefined {
    const { team, channel, id } = c.req.param() as { team: string; channel: string; id: string };
    return this.messages.find((m) => m.teamId === team && m.channelId === channel && m.id === id);
  }

  #graphRoutes(): void {
    const app = this.app;
    const v = '/v1.0';
    app.use(`${v}/*`, async (c, next) => {
      const caller = this.#caller(c);
      if (!caller) return this.#error(c, 401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
      c.set('caller', caller);
      await next();
    });
    const callerOf = (c: Context<{ Variables: { caller: Caller } }>) => c.get('caller');
    const notFound = (c: Context, what: string) => this.#error(c, 404, 'NotFound', `${what} not found`);

    app.get(`${v}/teams`, (c) =>
      c.json({ value: [...this.teams.values()].map((t) => ({ id: t.id, displayName: t.displayName })) }),
    );
    app.get(`${v}/teams/:team/channels`, (c) => {
      const team = this.teams.get(c.req.param('team'));
      if (!team) return notFound(c, 'Team');
      return c.json({
        value: team.channels.map((ch) => ({ id: ch.id, displayName: ch.displayName, membershipType: 'standard' })),
      });
    });
    app.get(`${v}/teams/:team/channels/:channel/messages/delta`, (c) => this.#delta(c));
    app.get(`${v}/teams/:team/channels/:channel/messages/:id`, (c) => {
      const message = this.#message(c);
      return message ? c.json(this.#wire(message)) : notFound(c, 'Message');
    });
    app.get(`${v}/teams/:team/channels/:channel/messages/:id/replies`, (c) => {
      // Nobody replies in the demo's threads.
      return this.#message(c) ? c.json({ '@odata.count': 0, value: [] }) : notFound(c, 'Message');
    });
    app.post(`${v}/teams/:team/channels/:channel/messages/:id/softDelete`, (c) => {
      const caller = callerOf(c);
      if (caller.kind !== 'delegated') {
        return this.#error(c, 403, 'Forbidden', 'softDelete is not supported with application permissions.');
      }
      const message = this.#message(c);
      if (!message) return notFound(c, 'Message');
      if (!message.deletedDateTime) {
        const before = message.html;
        const now = new Date().toISOString();
        message.deletedDateTime = now;
        message.lastModifiedDateTime = now;
        // This stand-in keeps no copy of a deleted message (so it has no undoSoftDelete either).
        message.html = '';
        this.#changeListener?.({
          platform: 'teams',
          place: `${this.teams.get(message.teamId)?.displayName} › ${this.#channel(message.teamId, message.channelId)?.displayName}, ${this.people.get(message.from)?.displayName ?? message.from}'s message`,
          kind: 'deleted',
          before,
          after: '',
          by: caller.user.displayName,
        });
      }
      return c.body(null, 204);
    });
    app.patch(`${v}/teams/:team/channels/:channel/messages/:id`, (c) =>
      this.#error(
        c,
        403,
        'Forbidden',
        'Missing role permissions on the request. API requires one of ChannelMessage.UpdatePolicyViolation.All.',
      ),
    );
    app.get(`${v}/users/:id`, (c) => {
      const person = this.people.get(c.req.param('id'));
      if (!person)
        return this.#error(
          c,
          404,
          'Request_ResourceNotFound',
          `Resource '${c.req.param('id')}' does not exist or one of its queried reference-property objects are not present.`,
        );
      return c.json(
        this.#select(c, { '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#users/$entity`, ...person }),
      );
    });
    app.get(`${v}/me`, (c) => {
      const caller = callerOf(c);
      if (caller.kind !== 'delegated') {
        return this.#error(c, 400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
      }
      return c.json(this.#select(c, { ...caller.user }));
    });
    app.post(`${v}/subscriptions`, (c) => this.#subscribe(c));
    app.patch(`${v}/subscriptions/:id`, async (c) => {
      const subscription = this.subscriptions.get(c.req.param('id'));
      if (!subscription) return this.#error(c, 404, 'ResourceNotFound', 'The object was not found.');
      const body = (await c.req.json().catch(() => null)) as { expirationDateTime?: string } | null;
      const expiry = this.#checkExpiry(body?.expirationDateTime);
      if (typeof expiry !== 'string') return this.#error(c, 400, 'ExtensionError', expiry.error);
      subscription.expirationDateTime = expiry;
      return c.json(this.#subscriptionJson(subscription));
    });
    app.delete(`${v}/subscriptions/:id`, (c) => {
      if (!this.subscriptions.delete(c.req.param('id')))
        return this.#error(c, 404, 'ResourceNotFound', 'The object was not found.');
      return c.body(null, 204);
    });
    app.all(`${v}/*`, (c) => {
      const segment = new URL(c.req.url).pathname.split('/').filter(Boolean)[1] ?? '';
      return this.#error(c, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
    });
    app.get('/l/message/:channel/:id', (c) => this.#view(c));
  }

  /** `$select=a,b` keeps those properties (Graph always adds `id`). */
  #select(c: Context, value: Record<string, unknown>): Record<string, unknown> {
    const select = c.req.query('$select');
    if (!select) return value;
    const keep = new Set(['id', '@odata.context', ...select.split(',').map((s) => s.trim())]);
    return Object.fromEntries(Object.entries(value).filter(([key]) => keep.has(key)));
  }

  /**
   * Channel messages delta: the first round returns the channel's root
   * messages (optionally `lastModifiedDateTime gt …`), later rounds what
   * changed since; the `@odata.deltaLink` carries the round's time.
   */
  #delta(c: Context): Response {
    const { team, channel } = c.req.param() as { team: string; channel: string };
    if (!this.#channel(team, channel)) return this.#error(c, 404, 'NotFound', 'Channel not found');
    const token = c.req.query('$deltatoken');
    const filter = /lastModifiedDateTime gt (\S+)/.exec(c.req.query('$filter') ?? '')?.[1];
    const since = token ? Number(Buffer.from(token, 'base64url').toString()) : filter ? Date.parse(filter) : 0;
    const changed = this.messages.filter(
      (m) => m.teamId === team && m.channelId === channel && Date.parse(m.lastModifiedDateTime) > since,
    );
    const next = Buffer.from(String(Date.now())).toString('base64url');
    const link = `${this.#baseUrl}/v1.0/teams/${encodeURIComponent(team)}/channels/${encodeURIComponent(channel)}/messages/delta?$deltatoken=${next}`;
    return c.json({
      '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#Collection(chatMessage)`,
      '@odata.deltaLink': link,
      value: changed.map((m) => ({ ...this.#wire(m), replies: [] })),
    });
  }

  #checkExpiry(value: string | undefined): string | { error: string } {
    const at = Date.parse(value ?? '');
    if (!Number.isFinite(at)) return { error: 'expirationDateTime is required.' };
    if (at <= Date.now()) return { error: 'Subscription expiration must be in the future.' };
    if (at > Date.now() + MAX_SUBSCRIPTION_MINUTES * 60_000) {
      return { error: `Subscription expiration can only be ${MAX_SUBSCRIPTION_MINUTES} minutes in the future.` };
    }
    return new Date(at).toISOString();
  }

  #subscriptionJson(s: Subscription) {
    return {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity',
      id: s.id,
      resource: s.resource,
      applicationId: this.#options.clientId,
      changeType: s.changeType,
      clientState: s.clientState ?? null,
      notificationUrl: s.notificationUrl,
      notificationQueryOptions: null,
      lifecycleNotificationUrl: s.lifecycleNotificationUrl ?? null,
      expirationDateTime: s.expirationDateTime,
      creatorId: randomUUID(),
      includeResourceData: false,
      latestSupportedTlsVersion: 'v1_2',
      encryptionCertificate: null,
      encryptionCertificateId: null,
      notificationUrlAppId: null,
    };
  }

  /**
   * `POST /subscriptions`: Graph first validates every notification URL (a
   * POST with `?validationToken=…` that must be echoed as text/plain within
   * 10 s), then answers 201 with the subscription.
   */
  async #subscribe(c: Context): Promise<Response> {
    const body = (await c.req.json().catch(() => null)) as
      (Partial<Subscription> & { includeResourceData?: boolean }) | null;
    if (!body?.resource || !body.changeType || !body.notificationUrl) {
      return this.#error(c, 400, 'ExtensionError', 'resource, changeType and notificationUrl are required.');
    }
    const known =
      /^\/?(teams\/getAllMessages|chats\/getAllMessages|teams\/[^/]+\/channels\/[^/]+\/messages|chats\/[^/]+\/messages)$/;
    if (!known.test(body.resource))
      return this.#error(c, 400, 'ExtensionError', `Resource '${body.resource}' is not supported.`);
    if (body.includeResourceData) {
      return this.#error(
        c,
        400,
        'ExtensionError',
        'encryptionCertificate is required when includeResourceData is true.',
      );
    }
    if (body.clientState && body.clientState.length > 128) {
      return this.#error(c, 400, 'ExtensionError', 'clientState must be at most 128 characters.');
    }
    const expiry = this.#checkExpiry(body.expirationDateTime);
    if (typeof expiry !== 'string') return this.#error(c, 400, 'ExtensionError', expiry.error);
    for (const url of new Set([body.notificationUrl, body.lifecycleNotificationUrl].filter((u): u is string => !!u))) {
      if (!(await this.#validates(url))) {
        return this.#error(
          c,
          400,
          'ValidationError',
          'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
        );
      }
    }
    const subscription: Subscription = {
      id: randomUUID(),
      resource: body.resource.replace(/^\//, ''),
      changeType: body.changeType,
      notificationUrl: body.notificationUrl,
      ...(body.lifecycleNotificationUrl ? { lifecycleNotificationUrl: body.lifecycleNotificationUrl } : {}),
      ...(body.clientState ? { clientState: body.clientState } : {}),
      expirationDateTime: expiry,
    };
    this.subscriptions.set(subscription.id, subscription);
    this.#subscriptionListener?.();
    return c.json(this.#subscriptionJson(subscription), 201);
  }

  async #validates(url: string): Promise<boolean> {
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    try {
      const separator = url.includes('?') ? '&' : '?';
      const response = await fetch(`${url}${separator}validationToken=${encodeURIComponent(token)}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(10_000),
      });
      return response.status === 200 && (await response.text()) === token;
    } catch {
      return false;
    }
  }

  #covers(subscription: Subscription, message: GraphStoredMessage, changeType: string): boolean {
    if (!subscription.changeType.split(',').includes(changeType)) return false;
    if (Date.parse(subscription.expirationDateTime) < Date.now()) return false;
    return (
      subscription.resource === 'teams/getAllMessages' ||
      subscription.resource === `teams/${message.teamId}/channels/${message.channelId}/messages`
    );
  }

  #notify(message: GraphStoredMessage, changeType: 'created' | 'updated'): Promise<void> {
    const resource = `teams('${message.teamId}')/channels('${message.channelId}')/messages('${message.id}')`;
    const sends = [...this.subscriptions.values()]
      .filter((s) => this.#covers(s, message, changeType))
      .map((s) => {
        const body = JSON.stringify({
          value: [
            {
              subscriptionId: s.id,
              subscriptionExpirationDateTime: s.expirationDateTime,
              changeType,
              resource,
              resourceData: { id: message.id, '@odata.type': '#Microsoft.Graph.chatMessage', '@odata.id': resource },
              clientState: s.clientState ?? null,
              tenantId: this.#options.tenantId,
            },
          ],
        });
        const delivery = this.#send(s, body).finally(() => this.#deliveries.delete(delivery));
        this.#deliveries.add(delivery);
        return delivery;
      });
    return Promise.all(sends).then(() => undefined);
  }

  /** Graph expects a 2xx within 3 seconds and retries later otherwise. */
  async #send(subscription: Subscription, body: string): Promise<void> {
    let status: number | 'unreachable' = 'unreachable';
    for (let attempt = 0; attempt <= this.#retryDelays.length; attempt++) {
      // Unreferenced: a retry still pending when the demo stops does not keep the process alive.
      if (attempt > 0)
        await new Promise((resolve) => setTimeout(resolve, this.#retryDelays[attempt - 1]! * 1000).unref());
      try {
        const response = await fetch(subscription.notificationUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body,
          signal: AbortSignal.timeout(3000),
        });
        await response.body?.cancel();
        if (response.ok) return;
        status = response.status;
      } catch {
        status = 'unreachable';
      }
    }
    this.deliveryFailures.push({
      platform: 'teams',
      what: `change notification (subscription ${subscription.id})`,
      status,
    });
  }

  /** A message's `webUrl` leads here: the message as Teams would now show it. */
  #view(c: Context): Response {
    const message = this.messages.find((m) => m.id === c.req.param('id'));
    if (!message) return c.html(page('Not found', '<p>No such message.</p>'), 404);
    const who = this.people.get(message.from)?.displayName ?? message.from;
    const channel = this.#channel(message.teamId, message.channelId)?.displayName ?? message.channelId;
    const text = message.deletedDateTime ? '<em>This message has been deleted.</em>' : escapeHtml(message.html);
    return c.html(page(`Teams · ${channel}`, `<p><strong>${escapeHtml(who)}</strong>: ${text}</p>`));
  }
}
