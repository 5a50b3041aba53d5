import { createHmac, timingSafeEqual } from 'node:crypto';
import { ReceiverMultipleAckError, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';
import { Hono, type Context } from 'hono';
import { bodyLimit } from '../../src/api/body-limit.ts';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { jsonMayHoldUnstorableText, unstorableTextPath } from '../../src/db/storable-text.ts';
import type { Logger } from '../../src/logger.ts';
import type { SlackEventStore } from './event-dedupe.ts';
import type { SlackEventEnvelope } from './message-events.ts';

/** Slack refuses requests whose timestamp is further than this from now (replay bound). */
export const SIGNATURE_WINDOW_SECONDS = 5 * 60;
/** Slack waits 3 s for an answer; leave room for the network. */
export const ACK_TIMEOUT_MS = 2_500;
/** Slack payloads are small; anything larger is not from Slack. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** The paths Slack is configured to call (Event Subscriptions, Interactivity, Slash Commands). */
export const SLACK_PATHS = ['/slack/events', '/slack/interactions', '/slack/commands'] as const;

export type SignatureCheck =
  | { ok: true }
  | {
      ok: false;
      code: 'signature_missing' | 'timestamp_invalid' | 'request_stale' | 'signature_invalid';
      message: string;
    };

/**
 * Slack request signing: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`
 * with the signing secret, a timestamp within five minutes of `nowSeconds`
 * (either way), compared in constant time.
 */
export function verifySlackSignature(input: {
  signingSecret: string;
  rawBody: Uint8Array;
  signature: string | undefined;
  timestamp: string | undefined;
  nowSeconds: number;
}): SignatureCheck {
  if (!input.signature || !input.timestamp) {
    return {
      ok: false,
      code: 'signature_missing',
      message: 'X-Slack-Signature and X-Slack-Request-Timestamp are required',
    };
  }
  if (!/^\d{1,12}$/.test(input.timestamp)) {
    return { ok: false, code: 'timestamp_invalid', message: 'X-Slack-Request-Timestamp must be Unix seconds' };
  }
  if (Math.abs(input.nowSeconds - Number(input.timestamp)) > SIGNATURE_WINDOW_SECONDS) {
    return {
      ok: false,
      code: 'request_stale',
      message: 'X-Slack-Request-Timestamp is more than 5 minutes from the server clock',
    };
  }
  const expected = Buffer.from(
    `v0=${createHmac('sha256', input.signingSecret).update(`v0:${input.timestamp}:`).update(input.rawBody).digest('hex')}`,
  );
  const given = Buffer.from(input.signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: 'signature_invalid', message: 'X-Slack-Signature does not match the request body' };
  }
  return { ok: true };
}

export interface HonoReceiverOptions {
  signingSecret: string;
  /** Stores Events API payloads durably; they are acknowledged only after it resolves. */
  storeEvent: SlackEventStore;
  logger: Logger;
  /** Injectable clock for the signature window. */
  now?: () => Date;
  ackTimeoutMs?: number;
  maxBodyBytes?: number;
}

type Outcome =
  { kind: 'ack'; response: unknown } | { kind: 'done' } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

function delay(ms: number): { promise: Promise<{ kind: 'timeout' }>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<{ kind: 'timeout' }>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

function parseRetryNum(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,3}$/.test(value)) return undefined;
  return Number(value);
}

function isEnvelope(body: Record<string, unknown>): body is Record<string, unknown> & SlackEventEnvelope {
  return typeof body.event_id === 'string' && /^[\x21-\x7e]{1,128}$/.test(body.event_id) && isObject(body.event);
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** Fields Bolt dereferences as objects when present; Slack always sends them as objects. */
const OBJECT_FIELDS = ['user', 'team', 'channel', 'enterprise', 'view', 'container', 'message', 'state'] as const;

/**
 * Why an interactive payload or slash command is not shaped as Slack sends
 * it, or undefined. Bolt trusts the shape of what it is handed (a `channel`
 * that is a number makes it throw), so a signed but malformed body is refused
 * here with a 400 instead of failing inside Bolt with a 500.
 */
function malformedInteractive(body: Record<string, unknown>): string | undefined {
  if (body.event !== undefined) return 'events must come as event_callback';
  if (body.command !== undefined && typeof body.command !== 'string') return 'command must be a string';
  if (body.type !== undefined && typeof body.type !== 'string') return 'type must be a string';
  for (const field of OBJECT_FIELDS) {
    if (body[field] !== undefined && body[field] !== null && !isObject(body[field]))
      return `${field} must be an object`;
  }
  if (body.actions !== undefined && !(Array.isArray(body.actions) && body.actions.every(isObject))) {
    return 'actions must be a list of objects';
  }
  return undefined;
}

/**
 * A Bolt receiver on Hono (Bolt ships none): verifies the signature over the
 * raw body before anything else, answers `url_verification` and `ssl_check`,
 * parses JSON or form bodies (`payload=` for interactivity), and hands the
 * payload to `app.processEvent`.
 *
 * Events API payloads are stored through `storeEvent` (de-duplicated, scan
 * jobs enqueued) before the 200 that acknowledges them; if storing fails
 * Slack gets a 5xx and retries. Interactive payloads and slash commands are
 * answered with whatever the listener passes to `ack()`, or with an empty 200
 * after `ackTimeoutMs` so Slack does not show a timeout.
 *
 * @example
 *   const receiver = new HonoReceiver({ signingSecret, storeEvent, logger });
 *   const app = new App({ receiver, authorize });
 *   honoApp.route('/', receiver.routes);
 */
export class HonoReceiver implements Receiver {
  readonly routes: Hono;
  readonly #options: Required<Omit<HonoReceiverOptions, 'now'>> & { now: () => Date };
  #app: App | undefined;

  constructor(options: HonoReceiverOptions) {
    if (!options.signingSecret) throw new Error('HonoReceiver needs the signing secret');
    this.#options = {
      signingSecret: options.signingSecret,
      storeEvent: options.storeEvent,
      logger: options.logger,
      ackTimeoutMs: options.ackTimeoutMs ?? ACK_TIMEOUT_MS,
      maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
      now: options.now ?? (() => new Date()),
    };
    this.routes = new Hono();
    // Refused before it is read: a Content-Length over the cap at once, a chunked body as soon as it crosses it.
    const limit = bodyLimit({
      maxSize: this.#options.maxBodyBytes,
      onError: (c) => c.json({ error: { code: 'body_too_large', message: 'request body is too large' } }, 413),
    });
    for (const path of SLACK_PATHS) this.routes.post(path, limit, (c) => this.#handle(c));
  }

  init(app: App): void {
    this.#app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  async #handle(c: Context): Promise<Response> {
    const options = this.#options;
    const fail = (status: ContentfulStatusCode, code: string, message: string) =>
      c.json({ error: { code, message } }, status);

    const rawBody = new Uint8Array(await c.req.arrayBuffer());

    const check = verifySlackSignature({
      signingSecret: options.signingSecret,
      rawBody,
      signature: c.req.header('x-slack-signature'),
      timestamp: c.req.header('x-slack-request-timestamp'),
      nowSeconds: Math.floor(options.now().getTime() / 1000),
    });
    if (!check.ok) {
      options.logger.warn({ code: check.code, path: c.req.path }, 'rejected a Slack request');
      return fail(401, check.code, check.message);
    }

    let body: Record<string, unknown>;
    const raw = new TextDecoder().decode(rawBody);
    const contentType = c.req.header('content-type') ?? '';
    try {
      body = parseBody(raw, contentType);
    } catch {
      return fail(400, 'body_invalid', 'body must be JSON or a form with a JSON `payload` field');
    }
    // A JSON body without NUL or surrogate (escaped or not) needs no walk; a form's %-escapes can hide them.
    const mayHoldUnstorable = isForm(contentType) || jsonMayHoldUnstorableText(raw);
    const unstorable = mayHoldUnstorable ? unstorableTextPath(body) : undefined;
    if (unstorable !== undefined) {
      return fail(400, 'body_invalid', `${unstorable}: must not contain NUL characters or unpaired surrogates`);
    }
    if (body.ssl_check !== undefined) return c.body(null, 200);
    if (body.type === 'url_verification') {
      if (typeof body.challenge !== 'string') return fail(400, 'body_invalid', 'url_verification needs a challenge');
      return c.json({ challenge: body.challenge });
    }

    const app = this.#app;
    if (!app) return fail(503, 'not_ready', 'the Slack app is starting; try again');
    const retryNum = parseRetryNum(c.req.header('x-slack-retry-num'));
    const retryReason = c.req.header('x-slack-retry-reason');

    if (body.type === 'event_callback') {
      if (!isEnvelope(body)) return fail(400, 'body_invalid', 'event_callback needs event_id and event');
      return this.#handleEvent(c, app, body, retryNum, retryReason, fail);
    }
    const malformed = malformedInteractive(body);
    if (malformed !== undefined) return fail(400, 'body_invalid', malformed);
    return this.#handleInteractive(c, app, body, retryNum, retryReason, fail);
  }

  async #handleEvent(
    c: Context,
    app: App,
    envelope: SlackEventEnvelope,
    retryNum: number | undefined,
    retryReason: string | undefined,
    fail: (status: ContentfulStatusCode, code: string, message: string) => Response,
  ): Promise<Response> {
    const { logger, storeEvent, ackTimeoutMs } = this.#options;
    const storing = storeEvent(envelope, { retryNum, retryReason });
    const timer = delay(ackTimeoutMs);
    const outcome = await Promise.race([
      storing.then(
        (stored) => ({ kind: 'stored' as const, stored }),
        (error: unknown) => ({ kind: 'error' as const, error }),
      ),
      timer.promise,
    ]);
    timer.cancel();
    if (outcome.kind === 'timeout') {
      // Never acknowledge what is not stored yet: Slack retries, and the retry is
      // de-duplicated if this attempt finishes in the meantime.
      storing.catch((error: unknown) =>
        logger.error({ err: error, eventId: envelope.event_id }, 'storing a Slack event failed'),
      );
      logger.warn({ eventId: envelope.event_id }, 'storing a Slack event took too long; Slack will retry it');
      return fail(503, 'event_store_slow', 'the event is still being stored; Slack will retry it');
    }
    if (outcome.kind === 'error') {
      logger.error({ err: outcome.error, eventId: envelope.event_id }, 'storing a Slack event failed');
      return fail(500, 'event_not_stored', 'the event could not be stored; Slack will retry it');
    }
    if (outcome.stored !== 'duplicate') {
      // Stored: other Bolt listeners may still react, but the answer no longer depends on them.
      const event: ReceiverEvent = { body: envelope, retryNum, retryReason, ack: async () => {} };
      app
        .processEvent(event)
        .catch((error: unknown) => logger.warn({ err: error, eventId: envelope.event_id }, 'Slack listener failed'));
    }
    return c.body(null, 200);
  }

  async #handleInteractive(
    c: Context,
    app: App,
    body: Record<string, unknown>,
    retryNum: number | undefined,
    retryReason: string | undefined,
    fail: (status: ContentfulStatusCode, code: string, message: string) => Response,
  ): Promise<Response> {
    const { logger, ackTimeoutMs } = this.#options;
    let acknowledged = false;
    let answered = false;
    let resolveAck: (outcome: Outcome) => void = () => {};
    const acked = new Promise<Outcome>((resolve) => {
      resolveAck = resolve;
    });
    const event: ReceiverEvent = {
      body,
      retryNum,
      retryReason,
      ack: async (response?: unknown) => {
        if (acknowledged) throw new ReceiverMultipleAckError();
        acknowledged = true;
        if (answered) logger.warn({ type: body.type }, 'Slack listener acknowledged after the answer was sent');
        resolveAck({ kind: 'ack', response });
      },
    };
    const processing = app.processEvent(event).then(
      (): Outcome => ({ kind: 'done' }),
      (error: unknown): Outcome => ({ kind: 'error', error }),
    );
    const timer = delay(ackTimeoutMs);
    const outcome = await Promise.race([acked, processing, timer.promise]);
    timer.cancel();
    answered = true;
    void processing.then((late) => {
      if (late.kind === 'error' && outcome.kind !== 'error') {
        logger.warn({ err: late.error, type: body.type }, 'Slack listener failed after acknowledging');
      }
    });

    switch (outcome.kind) {
      case 'ack':
        return respondWithAck(c, outcome.response);
      case 'error':
        logger.error({ err: outcome.error, type: body.type }, 'Slack listener failed before acknowledging');
        return fail(500, 'listener_failed', 'the request could not be handled');
      case 'done':
        return fail(404, 'unhandled', 'no listener handles this request');
      case 'timeout':
        logger.warn({ type: body.type }, `Slack request not acknowledged within ${ackTimeoutMs} ms`);
        return c.body(null, 200);
    }
  }
}

function respondWithAck(c: Context, response: unknown): Response {
  if (response === undefined || response === null || response === '') return c.body(null, 200);
  if (typeof response === 'string') return c.text(response, 200);
  return c.json(response as object, 200);
}

function isForm(contentType: string): boolean {
  return /^application\/x-www-form-urlencoded/i.test(contentType);
}

/** JSON, or a form whose `payload` field is JSON (interactivity), or a plain form (slash commands). */
function parseBody(raw: string, contentType: string): Record<string, unknown> {
  let parsed: unknown;
  if (isForm(contentType)) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    parsed = payload !== null ? JSON.parse(payload) : Object.fromEntries(form);
  } else {
    parsed = JSON.parse(raw);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
  return parsed as Record<string, unknown>;
}
