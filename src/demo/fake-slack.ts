import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { escapeHtml, page } from './stand-in-page.ts';
import type { DeliveryFailure } from './delivery-failure.ts';
import type { SourceChange } from './source-change.ts';

/** A member of the stand-in workspace. */
export interface SlackPerson {
  id: string;
  /** Handle (`alice`). */
  name: string;
  realName: string;
  email?: string;
  isBot?: boolean;
  isAdmin?: boolean;
}

export interface SlackChannel {
  id: string;
  name: string;
  members: Set<string>;
}

/** A message as Slack stores it (the fields conversations.history returns). */
export interface SlackStoredMessage {
  channel: string;
  type: 'message';
  ts: string;
  user: string;
  text: string;
  team: string;
  thread_ts?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  edited?: { user: string; ts: string };
  bot_id?: string;
  app_id?: string;
  client_msg_id?: string;
}

export interface FakeSlackOptions {
  teamId: string;
  teamName: string;
  botUser: SlackPerson;
  /** The bot token (`xoxb-`) the app was installed with. */
  botToken: string;
  /** A user token (`xoxp-`) of `adminUser`. */
  adminToken: string;
  adminUser: SlackPerson;
  /** The app's signing secret: every Events API request is signed with it. */
  signingSecret: string;
  /** Seconds between delivery attempts (Slack: immediately, ~1 min, ~5 min; the demo waits less). */
  retryDelaysSeconds?: readonly number[];
}

const APP_ID = 'A0LEAKWTCH';
const BOT_ID = 'B0LEAKWTCH';
const TS = /^\d{1,12}\.\d{1,9}$/;

type Params = Record<string, string>;
type Answer = Record<string, unknown>;

class SlackError extends Error {
  readonly code: string;
  constructor(code: string) {
    super(code);
    this.code = code;
  }
}

function parseJsonParam<T>(value: string | undefined, fallback: T): T {
  if (value === undefined || value === '') return fallback;
  try {
    return JSON.parse(value) as T;
  } catch {
    throw new SlackError('invalid_arguments');
  }
}

/**
 * A stand-in Slack workspace: the Web API methods leakwatch calls
 * (`auth.test`, `users.info`, `users.lookupByEmail`, `conversations.open`,
 * `conversations.list`, `conversations.history`, `conversations.replies`,
 * `chat.postMessage`, `chat.postEphemeral`, `chat.update`, `chat.delete`,
 * `files.info`, `files.delete`) with Slack's request and response shapes and
 * its errors (`not_authed`, `invalid_auth`, `channel_not_found`,
 * `not_in_channel`, `cant_update_message`, `unknown_method`…), plus the
 * Events API: when someone posts, edits or deletes in a channel, the event is
 * delivered to the configured Request URL, signed with the signing secret
 * and retried like Slack does. Everything lives in memory.
 */
export class FakeSlack {
  readonly app: Hono;
  readonly users = new Map<string, SlackPerson>();
  readonly channels = new Map<string, SlackChannel>();
  readonly messages: SlackStoredMessage[] = [];
  readonly deliveryFailures: DeliveryFailure[] = [];
  readonly #options: FakeSlackOptions;
  readonly #retryDelays: readonly number[];
  #eventsUrl: string | undefined;
  #baseUrl = 'http://127.0.0.1';
  #lastTs = 0;
  #changeListener: ((change: SourceChange) => void) | undefined;
  readonly #deliveries = new Set<Promise<void>>();

  constructor(options: FakeSlackOptions) {
    this.#options = options;
    this.#retryDelays = options.retryDelaysSeconds ?? [1, 5];
    this.addPerson(options.botUser);
    this.addPerson(options.adminUser);
    this.app = new Hono();
    this.app.all('/api/:method', (c) => this.#handle(c));
    this.app.get('/archives/:channel/:permalink?', (c) => this.#archive(c));
    this.app.get('/', (c) => c.redirect('/archives/'));
  }

  get teamId(): string {
    return this.#options.teamId;
  }

  /** Where the stand-in is served (permalinks point here). */
  setBaseUrl(url: string): void {
    this.#baseUrl = url.replace(/\/+$/, '');
  }

  /** The app's Event Subscriptions Request URL. */
  setEventsUrl(url: string): void {
    this.#eventsUrl = url;
  }

  addPerson(person: SlackPerson): void {
    this.users.set(person.id, person);
  }

  addChannel(id: string, name: string, members: readonly string[]): SlackChannel {
    const channel = { id, name, members: new Set(members) };
    this.channels.set(id, channel);
    return channel;
  }

  /** Called when a stored message is edited or deleted (before/after text), e.g. by leakwatch's redaction. */
  onChange(listener: (change: SourceChange) => void): void {
    this.#changeListener = listener;
  }

  /** Messages of one conversation, oldest first. */
  conversation(channel: string): SlackStoredMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  /** The direct-message conversation between the bot and a person. */
  dmChannelOf(userId: string): string {
    return `D${userId.slice(1)}`;
  }

  find(channel: string, ts: string): SlackStoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** A person posts in a channel from their Slack client: the message is stored and its event delivered. */
  async postAsUser(userId: string, channelId: string, text: string): Promise<SlackStoredMessage> {
    const channel = this.channels.get(channelId);
    if (!channel || !this.users.has(userId)) throw new Error(`unknown user ${userId} or channel ${channelId}`);
    const ts = this.#nextTs();
    const message: SlackStoredMessage = {
      channel: channelId,
      type: 'message',
      ts,
      user: userId,
      text,
      team: this.teamId,
      client_msg_id: randomUUID(),
      // Slack clients send the same text as rich text too.
      blocks: [
        {
          type: 'rich_text',
          block_id: randomBytes(3).toString('base64url'),
          elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
        },
      ],
    };
    this.messages.push(message);
    await this.#deliver({ ...message, event_ts: ts, channel_type: 'channel' });
    return message;
  }

  /** Resolves when every event delivery started so far has finished (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#deliveries.size > 0) await Promise.allSettled([...this.#deliveries]);
  }

  #nextTs(): string {
    // Unique, increasing message timestamps, as Slack guarantees within a channel.
    const micros = Math.max(Date.now() * 1000, this.#lastTs + 1);
    this.#lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  #deliver(event: Record<string, unknown>): Promise<void> {
    const url = this.#eventsUrl;
    if (!url) return Promise.resolve();
    const envelope = {
      team_id: this.teamId,
      context_team_id: this.teamId,
      api_app_id: APP_ID,
      event,
      type: 'event_callback',
      event_id: `Ev${randomBytes(5).toString('hex').toUpperCase()}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ enterprise_id: null, team_id: this.teamId, user_id: this.#options.botUser.id, is_bot: true }],
      is_ext_shared_channel: false,
      event_context: `4-${randomBytes(12).toString('base64url')}`,
    };
    const delivery = this.#send(url, envelope).finally(() => this.#deliveries.delete(delivery));
    this.#deliveries.add(delivery);
    return delivery;
  }

  /** POSTs one envelope, signed (`v0:{timestamp}:{body}`), retrying on failure with X-Slack-Retry-Num. */
  async #send(url: string, envelope: { event_id: string }): Promise<void> {
    const body = JSON.stringify(envelope);
    let status: number | 'unreachable' = 'unreachable';
    let reason = 'http_error';
    for (let attempt = 0; attempt <= this.#retryDelays.length; attempt++) {
      // Unreferenced: a retry still pending when the demo stops does not keep the process alive.
      if (attempt > 0)
        await new Promise((resolve) => setTimeout(resolve, this.#retryDelays[attempt - 1]! * 1000).unref());
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac('sha256', this.#options.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-slack-request-timestamp': timestamp,
            'x-slack-signature': signature,
            'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
            ...(attempt > 0 ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': reason } : {}),
          },
          body,
          // Slack gives up on a request after 3 seconds.
          signal: AbortSignal.timeout(3000),
        });
        await response.body?.cancel();
        if (response.ok) return;
        status = response.status;
        reason = 'http_error';
      } catch (error) {
        status = 'unreachable';
        reason = (error as Error).name === 'TimeoutError' ? 'http_timeout' : 'connection_failed';
      }
    }
    this.deliveryFailures.push({ platform: 'slack', what: `event ${envelope.event_id}`, status });
  }

  // ------------------------------------------------------------ Web API

  async #params(c: Context): Promise<Params> {
    const params: Params = { ...c.req.query() };
    if (c.req.method !== 'POST') return params;
    const type = c.req.header('content-type') ?? '';
    const raw = await c.req.text();
    if (/json/i.test(type)) {
      const parsed = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      for (const [key, value] of Object.entries(parsed)) {
        if (value === undefined || value === null) continue;
        params[key] = typeof value === 'string' ? value : JSON.stringify(value);
      }
    } else {
      for (const [key, value] of new URLSearchParams(raw)) params[key] = value;
    }
    return params;
  }

  /** The person a token belongs to: the bot for the bot token, the admin for the admin user token. */
  #caller(c: Context, params: Params): SlackPerson {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? params.token;
    if (!token) throw new SlackError('not_authed');
    if (token === this.#options.botToken) return this.#options.botUser;
    if (token === this.#options.adminToken) return this.#options.adminUser;
    throw new SlackError('invalid_auth');
  }

  async #handle(c: Context): Promise<Response> {
    const method = c.req.param('method') ?? '';
    let params: Params;
    try {
      params = await this.#params(c);
    } catch {
      return c.json({ ok: false, error: 'invalid_json' });
    }
    try {
      const caller = this.#caller(c, params);
      const answer = await this.#answer(method, params, caller);
      if (answer === undefined) return c.json({ ok: false, error: 'unknown_method', req_method: method });
      return c.json({ ok: true, ...answer }, 200, { 'x-oauth-scopes': this.#scopes(caller) });
    } catch (error) {
      if (error instanceof SlackError) return c.json({ ok: false, error: error.code });
      throw error;
    }
  }

  #scopes(caller: SlackPerson): string {
    return caller.isBot
      ? 'channels:history,channels:read,chat:write,files:read,groups:history,im:history,im:write,users:read,users:read.email'
      : 'channels:history,chat:write,files:write';
  }

  async #answer(method: string, p: Params, caller: SlackPerson): Promise<Answer | undefined> {
    switch (method) {
      case 'auth.test':
        return {
          url: `${this.#baseUrl}/`,
          team: this.#options.teamName,
          user: caller.name,
          team_id: this.teamId,
          user_id: caller.id,
          ...(caller.isBot ? { bot_id: BOT_ID } : {}),
          is_enterprise_install: false,
        };
      case 'users.info': {
        const user = this.users.get(p.user ?? '');
        if (!user) throw new SlackError('user_not_found');
        return { user: this.#userObject(user) };
      }
      case 'users.lookupByEmail': {
        const email = (p.email ?? '').toLowerCase();
        const user = [...this.users.values()].find((u) => u.email?.toLowerCase() === email);
        if (!user) throw new SlackError('users_not_found');
        return { user: this.#userObject(user) };
      }
      case 'conversations.open':
        return this.#open(p, caller);
      case 'conversations.list':
        return this.#list(p, caller);
      case 'conversations.history':
        return this.#history(p, caller);
      case 'conversations.replies':
        return this.#replies(p, caller);
      case 'chat.postMessage':
        return this.#postMessage(p, caller);
      case 'chat.postEphemeral': {
        this.#readable(p.channel, caller);
        if (!this.users.has(p.user ?? '')) throw new SlackError('user_not_found');
        return { message_ts: this.#nextTs() };
      }
      case 'chat.update':
        return this.#update(p, caller);
      case 'chat.delete':
        return this.#delete(p, caller);
      case 'files.info':
      case 'files.delete':
        // Nobody shares files in the demo workspace.
        throw new SlackError('file_not_found');
      default:
        return undefined;
    }
  }

  #userObject(user: SlackPerson) {
    return {
      id: user.id,
      team_id: this.teamId,
      name: user.name,
      deleted: false,
      color: '9f69e7',
      real_name: user.realName,
      tz: 'Europe/Amsterdam',
      tz_label: 'Central European Time',
      tz_offset: 3600,
      profile: {
        real_name: user.realName,
        display_name: user.name,
        ...(user.email ? { email: user.email } : {}),
        ...(user.isBot ? { bot_id: BOT_ID, api_app_id: APP_ID } : {}),
        team: this.teamId,
      },
      is_admin: user.isAdmin ?? false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.isBot ?? false,
      is_app_user: false,
      updated: 1_760_000_000,
    };
  }

  /** A conversation the caller can read: a channel they are in, or their own DM with the bot. */
  #readable(id: string | undefined, caller: SlackPerson): { id: string; dm: boolean } {
    if (!id) throw new SlackError('channel_not_found');
    const channel = this.channels.get(id);
    if (channel) {
      if (!channel.members.has(caller.id)) throw new SlackError('not_in_channel');
      return { id, dm: false };
    }
    const dmOf = [...this.users.values()].find((u) => this.dmChannelOf(u.id) === id);
    if (dmOf && caller.isBot) return { id, dm: true };
    throw new SlackError('channel_not_found');
  }

  #open(p: Params, caller: SlackPerson): Answer {
    const ids = (p.users ?? '').split(',').filter(Boolean);
    if (ids.length !== 1) throw new SlackError(ids.length === 0 ? 'users_list_not_supplied' : 'not_enough_users');
    // The admin's user token is not granted im:write in the demo workspace.
    if (!caller.isBot) throw new SlackError('missing_scope');
    const user = this.users.get(ids[0]!);
    if (!user) throw new SlackError('user_not_found');
    if (user.isBot) throw new SlackError('cannot_dm_bot');
    const id = this.dmChannelOf(user.id);
    const already = this.messages.some((m) => m.channel === id);
    return { no_op: already, already_open: already, channel: { id } };
  }

  #list(p: Params, caller: SlackPerson): Answer {
    const limit = Math.min(Math.max(Number(p.limit ?? 100), 1), 1000);
    const offset = p.cursor ? Number(Buffer.from(p.cursor, 'base64url').toString()) : 0;
    const all = [...this.channels.values()];
    const slice = all.slice(offset, offset + limit);
    const next = offset + limit < all.length ? Buffer.from(String(offset + limit)).toString('base64url') : '';
    return {
      channels: slice.map((ch) => ({
        id: ch.id,
        name: ch.name,
        is_channel: true,
        is_group: false,
        is_im: false,
        is_private: false,
        is_archived: false,
        is_general: false,
        is_member: ch.members.has(caller.id),
        created: 1_700_000_000,
        creator: this.#options.adminUser.id,
        num_members: ch.members.size,
      })),
      response_metadata: { next_cursor: next },
    };
  }

  /** Slack's window: `oldest < ts < latest`, both ends included when `inclusive` is true. */
  #inWindow(ts: string, p: Params): boolean {
    const inclusive = p.inclusive === 'true' || p.inclusive === '1';
    const t = Number(ts);
    if (p.oldest && (inclusive ? t < Number(p.oldest) : t <= Number(p.oldest))) return false;
    if (p.latest && (inclusive ? t > Number(p.latest) : t >= Number(p.latest))) return false;
    return true;
  }

  #wire(m: SlackStoredMessage): Record<string, unknown> {
    const { channel: _channel, ...rest } = m;
    const replies = this.messages.filter((r) => r.channel === m.channel && r.thread_ts === m.ts && r.ts !== m.ts);
    return replies.length > 0 ? { ...rest, thread_ts: m.ts, reply_count: replies.length } : rest;
  }

  #history(p: Params, caller: SlackPerson): Answer {
    const { id } = this.#readable(p.channel, caller);
    const limit = Math.min(Math.max(Number(p.limit ?? 100), 1), 999);
    const offset = p.cursor ? Number(Buffer.from(p.cursor, 'base64url').toString()) : 0;
    const matching = this.messages
      .filter((m) => m.channel === id && (!m.thread_ts || m.thread_ts === m.ts) && this.#inWindow(m.ts, p))
      .sort((a, b) => Number(b.ts) - Number(a.ts));
    const slice = matching.slice(offset, offset + limit);
    const more = offset + limit < matching.length;
    return {
      messages: slice.map((m) => this.#wire(m)),
      has_more: more,
      pin_count: 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      response_metadata: { next_cursor: more ? Buffer.from(String(offset + limit)).toString('base64url') : '' },
    };
  }

  #replies(p: Params, caller: SlackPerson): Answer {
    const { id } = this.#readable(p.channel, caller);
    if (!p.ts || !TS.test(p.ts)) throw new SlackError('invalid_arguments');
    const parent = this.find(id, p.ts);
    if (!parent) throw new SlackError('thread_not_found');
    const replies = this.messages
      .filter((m) => m.channel === id && m.thread_ts === p.ts && m.ts !== p.ts && this.#inWindow(m.ts, p))
      .sort((a, b) => Number(a.ts) - Number(b.ts));
    // The thread's parent always comes first.
    return {
      messages: [this.#wire(parent), ...replies.map((m) => this.#wire(m))],
      has_more: false,
      response_metadata: { next_cursor: '' },
    };
  }

  async #postMessage(p: Params, caller: SlackPerson): Promise<Answer> {
    const { id, dm } = this.#readable(p.channel, caller);
    const blocks = parseJsonParam<unknown[]>(p.blocks, []);
    const attachments = parseJsonParam<unknown[]>(p.attachments, []);
    if (!p.text && blocks.length === 0 && attachments.length === 0) throw new SlackError('no_text');
    if (p.thread_ts && !this.find(id, p.thread_ts)) throw new SlackError('thread_not_found');
    const ts = this.#nextTs();
    const message: SlackStoredMessage = {
      channel: id,
      type: 'message',
      ts,
      user: caller.id,
      text: p.text ?? '',
      team: this.teamId,
      ...(p.thread_ts ? { thread_ts: p.thread_ts } : {}),
      ...(blocks.length > 0 ? { blocks } : {}),
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(caller.isBot ? { bot_id: BOT_ID, app_id: APP_ID } : {}),
    };
    this.messages.push(message);
    // Slack answers the call first and delivers the event on its own.
    if (!dm) void this.#deliver({ ...message, event_ts: ts, channel_type: 'channel' });
    return { channel: id, ts, message: this.#wire(message) };
  }

  /** Bots edit only their own messages; an admin's user token may edit anyone's. */
  #editable(p: Params, caller: SlackPerson, refusal: string): { message: SlackStoredMessage; dm: boolean } {
    const { id, dm } = this.#readable(p.channel, caller);
    const message = p.ts ? this.find(id, p.ts) : undefined;
    if (!message) throw new SlackError('message_not_found');
    if (message.user !== caller.id && !caller.isAdmin) throw new SlackError(refusal);
    return { message, dm };
  }

  async #update(p: Params, caller: SlackPerson): Promise<Answer> {
    const { message, dm } = this.#editable(p, caller, 'cant_update_message');
    const previous = structuredClone(message);
    if (p.text !== undefined) message.text = p.text;
    if (p.blocks !== undefined) {
      const blocks = parseJsonParam<unknown[]>(p.blocks, []);
      if (blocks.length > 0) message.blocks = blocks;
      else delete message.blocks;
    }
    if (p.attachments !== undefined) {
      const attachments = parseJsonParam<unknown[]>(p.attachments, []);
      if (attachments.length > 0) message.attachments = attachments;
      else delete message.attachments;
    }
    const editTs = this.#nextTs();
    message.edited = { user: caller.id, ts: editTs };
    this.#changeListener?.({
      platform: 'slack',
      place: this.#placeOf(message),
      kind: 'edited',
      before: previous.text,
      after: message.text,
      by: caller.realName,
    });
    if (!dm) {
      void this.#deliver({
        type: 'message',
        subtype: 'message_changed',
        hidden: true,
        channel: message.channel,
        ts: editTs,
        event_ts: editTs,
        channel_type: 'channel',
        message: this.#wire(message),
        previous_message: this.#wire(previous),
      });
    }
    return { channel: message.channel, ts: message.ts, text: message.text, message: this.#wire(message) };
  }

  #placeOf(message: SlackStoredMessage): string {
    const channel = this.channels.get(message.channel);
    const author = this.users.get(message.user)?.name ?? message.user;
    return `${channel ? `#${channel.name}` : 'direct message'}, ${author}'s message`;
  }

  async #delete(p: Params, caller: SlackPerson): Promise<Answer> {
    const { message, dm } = this.#editable(p, caller, 'cant_delete_message');
    this.messages.splice(this.messages.indexOf(message), 1);
    this.#changeListener?.({
      platform: 'slack',
      place: this.#placeOf(message),
      kind: 'deleted',
      before: message.text,
      after: '',
      by: caller.realName,
    });
    if (!dm) {
      const ts = this.#nextTs();
      void this.#deliver({
        type: 'message',
        subtype: 'message_deleted',
        hidden: true,
        channel: message.channel,
        ts,
        deleted_ts: message.ts,
        event_ts: ts,
        channel_type: 'channel',
        previous_message: this.#wire(message),
      });
    }
    return { channel: message.channel, ts: message.ts };
  }

  // ------------------------------------------------------------ a page to look at

  /** `GET /archives/<channel>[/p<ts>]`: the conversation as a plain page, so permalinks lead somewhere. */
  #archive(c: Context): Response {
    const channelId = c.req.param('channel');
    const channels = [...this.channels.values()];
    if (!channelId) {
      const items = channels.map((ch) => `<li><a href="/archives/${ch.id}">#${escapeHtml(ch.name)}</a></li>`).join('');
      return c.html(page(`${this.#options.teamName} (stand-in Slack)`, `<ul>${items}</ul>`));
    }
    const channel = this.channels.get(channelId);
    if (!channel) return c.html(page('Not found', '<p>No such channel.</p>'), 404);
    const focus = /^p(\d{10,})$/.exec(c.req.param('permalink') ?? '')?.[1];
    const rows = this.conversation(channel.id)
      .map((m) => {
        const who = this.users.get(m.user)?.realName ?? m.user;
        const edited = m.edited ? ' <em>(edited)</em>' : '';
        const mark = focus && m.ts.replace('.', '') === focus ? ' class="focus"' : '';
        return `<li${mark}><strong>${escapeHtml(who)}</strong> ${escapeHtml(m.text)}${edited}</li>`;
      })
      .join('');
    return c.html(page(`#${channel.name}`, `<ul>${rows}</ul>`));
  }
}
