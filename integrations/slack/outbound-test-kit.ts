import { randomBytes } from 'node:crypto';
import { http, HttpResponse, type HttpHandler } from 'msw';
import { detectors } from '../../detectors/index.ts';
import type { DocumentRef } from '../../src/core/document.ts';
import type { LocatedSecret, RedactionRequest } from '../../src/core/integration.ts';
import type { DatabaseHandle } from '../../src/db/connection.ts';
import type { Finding, Occurrence } from '../../src/db/schema.ts';
import type { TextFormat } from '../../src/detection/normalize.ts';
import { createScanner, type Scanner } from '../../src/detection/scanner.ts';
import { recordDocument, type SealedMatch } from '../../src/findings/record.ts';
import { SealedBox } from '../../src/findings/sealed-box.ts';
import { createLogger, type Logger } from '../../src/logger.ts';

/**
 * Test support for the outbound Slack tests: a fake Slack Web API at the HTTP
 * layer (msw) that answers with the shapes Slack documents and records every
 * request, and helpers that plant real credentials through the pipeline's
 * own tables (scanner → record → vault).
 */

export const API_URL = 'https://slack.com/api/';
export const BOT_TOKEN = 'xoxb-1111111111-2222222222-botbotbotbotbotbotbotbot';
export const ADMIN_TOKEN = 'xoxp-1111111111-3333333333-4444444444-adminadminadminadminadmin00';
export const TEAM = 'T0ACME';
export const SECURITY_CHANNEL = 'C0SECURITY';
export const BOT_USER = 'U0LEAKBOT';
export const FINGERPRINT_KEY = 'slack-out-test-fingerprint-key-0123456789abcdef';
export const ENCRYPTION_KEY = 'slack-out-test-encryption-key-0123456789abcdef';

/** A Slack bot token the `slack-bot-token` detector finds (issuer slack, has a revoker). */
export function leakedSlackToken(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const pick = (chars: string, n: number) => [...randomBytes(n)].map((b) => chars[b % chars.length]).join('');
  return `xoxb-${pick('123456789', 1)}${pick('0123456789', 11)}-${pick('123456789', 1)}${pick('0123456789', 12)}-${pick(alphabet, 24)}`;
}

export interface SlackUserFixture {
  id: string;
  email?: string;
  deleted?: boolean;
  is_bot?: boolean;
  name?: string;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  text: string;
  user?: string;
  /** Set on messages the bot posted, as Slack does. */
  bot_id?: string;
  thread_ts?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  edited?: { user: string; ts: string };
}

export interface CapturedCall {
  method: string;
  token: string | null;
  params: Record<string, string>;
  body: string;
}

type Failure = { error: string } | { rateLimitedFor: number };

/** Slack's Web API, in memory. */
export class FakeSlack {
  readonly calls: CapturedCall[] = [];
  readonly users = new Map<string, SlackUserFixture>();
  readonly messages: StoredMessage[] = [];
  readonly #failures = new Map<string, Failure[]>();
  // Message timestamps follow the real clock, as Slack's do (`oldest`/`latest` filters compare them with it).
  #clock = Math.floor(Date.now() / 1000);

  addUser(user: SlackUserFixture): void {
    this.users.set(user.id, user);
  }

  addMessage(message: StoredMessage): StoredMessage {
    this.messages.push(message);
    return message;
  }

  /** The next call(s) to `method` fail: `{ error: 'cant_update_message' }` or `{ rateLimitedFor: 30 }`. */
  failNext(method: string, ...failures: Failure[]): void {
    this.#failures.set(method, [...(this.#failures.get(method) ?? []), ...failures]);
  }

  callsTo(method: string): CapturedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Every request body sent to Slack, form-decoded (blocks included), for leak checks. */
  allRequestText(): string {
    return this.calls.map((c) => `${c.method} ${JSON.stringify(c.params)}`).join('\n');
  }

  #nextTs(): string {
    this.#clock += 1;
    return `${this.#clock}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  }

  #userObject(user: SlackUserFixture) {
    return {
      id: user.id,
      team_id: TEAM,
      name: user.name ?? user.id.toLowerCase(),
      deleted: user.deleted ?? false,
      color: '9f69e7',
      real_name: user.name ?? 'Test User',
      tz: 'Europe/Amsterdam',
      tz_label: 'Central European Time',
      tz_offset: 3600,
      profile: {
        avatar_hash: 'ge3b51ca72de',
        real_name: user.name ?? 'Test User',
        display_name: user.name ?? '',
        ...(user.email ? { email: user.email } : {}),
        team: TEAM,
      },
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: user.is_bot ?? false,
      is_app_user: false,
      updated: 1_700_000_000,
      has_2fa: false,
    };
  }

  #answer(method: string, p: Record<string, string>): Record<string, unknown> {
    switch (method) {
      case 'users.info': {
        const user = this.users.get(p.user ?? '');
        return user ? { ok: true, user: this.#userObject(user) } : { ok: false, error: 'user_not_found' };
      }
      case 'users.lookupByEmail': {
        const user = [...this.users.values()].find((u) => u.email?.toLowerCase() === p.email?.toLowerCase());
        return user ? { ok: true, user: this.#userObject(user) } : { ok: false, error: 'users_not_found' };
      }
      case 'conversations.open': {
        const user = this.users.get(p.users ?? '');
        if (!user) return { ok: false, error: 'user_not_found' };
        if (user.is_bot) return { ok: false, error: 'cannot_dm_bot' };
        if (user.deleted) return { ok: false, error: 'user_disabled' };
        return { ok: true, no_op: true, already_open: true, channel: { id: `D${user.id.slice(1)}` } };
      }
      case 'chat.postMessage': {
        const ts = this.#nextTs();
        const message: StoredMessage = {
          channel: p.channel!,
          ts,
          text: p.text ?? '',
          user: BOT_USER,
          bot_id: 'B0LEAKBOT',
          ...(p.thread_ts ? { thread_ts: p.thread_ts } : {}),
          ...(p.blocks ? { blocks: JSON.parse(p.blocks) as unknown[] } : {}),
        };
        this.messages.push(message);
        return {
          ok: true,
          channel: p.channel,
          ts,
          message: {
            bot_id: 'B0LEAKBOT',
            type: 'message',
            text: message.text,
            user: BOT_USER,
            ts,
            app_id: 'A0LEAKWATCH',
            blocks: message.blocks ?? [],
            team: TEAM,
            ...(p.thread_ts ? { thread_ts: p.thread_ts, parent_user_id: 'U0SOMEONE' } : {}),
          },
        };
      }
      case 'chat.postEphemeral':
        return { ok: true, message_ts: this.#nextTs() };
      case 'chat.update': {
        const message = this.messages.find((m) => m.channel === p.channel && m.ts === p.ts);
        if (!message) return { ok: false, error: 'message_not_found' };
        message.text = p.text ?? message.text;
        if (p.blocks !== undefined) message.blocks = JSON.parse(p.blocks) as unknown[];
        if (p.attachments !== undefined) message.attachments = JSON.parse(p.attachments) as unknown[];
        message.edited = { user: 'U0ADMIN', ts: this.#nextTs() };
        return {
          ok: true,
          channel: p.channel,
          ts: p.ts,
          text: message.text,
          message: { text: message.text, user: message.user, blocks: message.blocks ?? [] },
        };
      }
      case 'chat.delete': {
        const index = this.messages.findIndex((m) => m.channel === p.channel && m.ts === p.ts);
        if (index < 0) return { ok: false, error: 'message_not_found' };
        this.messages.splice(index, 1);
        return { ok: true, channel: p.channel, ts: p.ts };
      }
      case 'conversations.history': {
        const inRange = this.messages.filter(
          (m) =>
            m.channel === p.channel &&
            !m.thread_ts &&
            (!p.latest || Number(m.ts) <= Number(p.latest)) &&
            (!p.oldest || Number(m.ts) >= Number(p.oldest)),
        );
        const limit = Number(p.limit ?? 100);
        return {
          ok: true,
          messages: inRange.slice(0, limit).map((m) => ({ type: 'message', team: TEAM, ...m, channel: undefined })),
          has_more: inRange.length > limit,
          pin_count: 0,
          channel_actions_ts: null,
          channel_actions_count: 0,
          response_metadata: { next_cursor: '' },
        };
      }
      case 'conversations.replies': {
        const parent = this.messages.find((m) => m.channel === p.channel && m.ts === p.ts);
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const replies = this.messages.filter(
          (m) =>
            m.channel === p.channel &&
            m.thread_ts === p.ts &&
            m.ts !== p.ts &&
            (!p.latest || Number(m.ts) <= Number(p.latest)) &&
            (!p.oldest || Number(m.ts) >= Number(p.oldest)),
        );
        // Slack always returns the thread's parent first.
        return {
          ok: true,
          messages: [parent, ...replies].map((m) => ({ type: 'message', team: TEAM, ...m, channel: undefined })),
          has_more: false,
          response_metadata: { next_cursor: '' },
        };
      }
      case 'files.delete':
        return { ok: true };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** msw handlers for every Web API method on `apiUrl`. */
  handlers(apiUrl = API_URL): HttpHandler[] {
    return [
      http.post(`${apiUrl}:method`, async ({ request, params }) => {
        const method = String(params.method);
        const body = await request.text();
        const form = Object.fromEntries(new URLSearchParams(body));
        const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? form.token ?? null;
        this.calls.push({ method, token, params: form, body });
        const failure = this.#failures.get(method)?.shift();
        if (failure && 'rateLimitedFor' in failure) {
          return HttpResponse.json(
            { ok: false, error: 'ratelimited' },
            { status: 429, headers: { 'Retry-After': String(failure.rateLimitedFor) } },
          );
        }
        if (failure) return HttpResponse.json({ ok: false, error: failure.error });
        return HttpResponse.json(this.#answer(method, form));
      }),
    ];
  }
}

export interface Planted {
  finding: Finding;
  occurrence: Occurrence;
}

/** The pipeline pieces a test plants findings with: the real scanner, transit box and vault. */
export interface PipelineKit {
  scanner: Scanner;
  transit: SealedBox;
  vault: SealedBox;
}

export function pipelineKit(): PipelineKit {
  return {
    scanner: createScanner({ detectors, fingerprintKey: FINGERPRINT_KEY }),
    transit: new SealedBox(FINGERPRINT_KEY, 'transit'),
    vault: new SealedBox(ENCRYPTION_KEY, 'vault'),
  };
}

/**
 * Records `text` as if the pipeline had scanned it: real detector matches,
 * sealed, recorded (finding, occurrence, identity, vault). Returns the first
 * finding and its occurrence at `ref`.
 */
export async function plant(
  handle: DatabaseHandle,
  kit: PipelineKit,
  ref: DocumentRef,
  text: string,
  options: { vault?: boolean; format?: TextFormat } = {},
): Promise<Planted> {
  const matches: SealedMatch[] = kit.scanner.scan(text, { format: options.format ?? 'slack' }).map((m) => ({
    detectorId: m.detectorId,
    issuer: m.issuer,
    severity: m.severity,
    confidence: m.confidence,
    fingerprint: m.fingerprint,
    redacted: m.redacted,
    start: m.start,
    end: m.end,
    sealedSecret: kit.transit.seal(m.secret.reveal()),
    sealedParts: Object.fromEntries(m.parts.map((p) => [p.name, kit.transit.seal(p.secret.reveal())])),
  }));
  if (matches.length === 0) throw new Error('the planted text holds no credential the detectors find');
  const result = await recordDocument(
    handle.db,
    { ref, matches, seenAt: new Date() },
    { transit: kit.transit, ...(options.vault === false ? {} : { vault: kit.vault }) },
  );
  const finding = result.recorded[0]!.finding;
  const occurrence = await handle.db
    .selectFrom('occurrences')
    .selectAll()
    .where('finding_id', '=', finding.id)
    .where('item', '=', ref.item)
    .executeTakeFirstOrThrow();
  return { finding, occurrence };
}

/** What a redact worker hands an integration: `locate` re-scans the current text for this finding's secret. */
export function redactionRequest(kit: PipelineKit, planted: Planted, requestedBy = 'system'): RedactionRequest {
  return {
    finding: planted.finding,
    occurrence: planted.occurrence,
    requestedBy,
    locate(text: string, format: TextFormat): LocatedSecret[] {
      return kit.scanner
        .scan(text, { format })
        .filter((m) => m.fingerprint === planted.finding.fingerprint)
        .map((m) => ({ start: m.start, end: m.end, redacted: m.redacted }));
    },
  };
}

/** A logger whose lines the test can search (for leaked secrets). */
export function capturingLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  return { logger: createLogger({ level: 'debug', write: (line) => lines.push(line) }), lines };
}

export function slackRef(channel: string, ts: string, user: string, threadTs?: string): DocumentRef {
  const base = `https://acme.slack.com/archives/${channel}/p${ts.replace('.', '')}`;
  return {
    platform: 'slack',
    workspace: TEAM,
    container: channel,
    item: ts,
    version: ts,
    url: threadTs ? `${base}?thread_ts=${threadTs}&cid=${channel}` : base,
    author: { id: user },
  };
}

/** Polls until `check` returns a value: button handlers finish after Slack has its answer. */
export async function until<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
