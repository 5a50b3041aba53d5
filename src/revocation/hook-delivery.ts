import type { Kysely } from 'kysely';
import type { Secret } from '../core/secret.ts';
import type { Severity } from '../core/severity.ts';
import type { Database } from '../db/schema.ts';
import type { HookConfig, HookEventType } from './hook-config.ts';
import { signHook } from './hook-signature.ts';

/**
 * What a hook receives about a finding. It deliberately has no secret field:
 * the raw credential is passed to `deliverHook` separately and is serialised
 * only for hooks configured with `includeSecret`.
 */
export interface HookEvent {
  /** Unique per event and the idempotency key with the hook name, e.g. `${findingId}:${type}`. */
  id: string;
  type: HookEventType;
  /** ISO 8601. */
  occurredAt: string;
  finding: {
    id: string;
    detectorId: string;
    issuer: string;
    severity: Severity;
    status: string;
    liveness: string;
    redacted: string;
    fingerprint: string;
    firstSeenAt: string;
    lastSeenAt: string;
    occurrences?: { platform: string; container: string; item: string; url: string | null }[];
  };
}

export type HookDeliveryOutcome =
  | { result: 'delivered'; statusCode?: number }
  | { result: 'retry'; statusCode?: number; error: string; retryAfterSeconds?: number }
  | { result: 'failed'; statusCode?: number; error: string };

export interface DeliverHookOptions {
  fetch?: typeof fetch;
  /** Milliseconds since the epoch (injectable clock for signatures and Retry-After dates). */
  now?: () => number;
  userAgent?: string;
  /** When this attempt is the last one the caller will make, a retryable failure is recorded as `failed`. */
  maxAttempts?: number;
}

const DEFAULT_USER_AGENT = 'leakwatch-hooks (+secret leak monitor)';
/** A receiver asking for a longer pause is capped: the queue's own backoff takes over from there. */
const MAX_RETRY_AFTER_SECONDS = 3600;
const MAX_ERROR_CHARS = 500;

/**
 * Records one pending delivery per hook subscribed to the event. A re-run of
 * the same job (same event id) inserts nothing new: (hook, event_id) is unique.
 * Returns the ids of the deliveries still to send, in `hooks` order — including
 * pending ones from an earlier run that crashed before sending, so no event is
 * lost. Each row's `hook` column names its hook; use the id as the send job's
 * singleton key.
 *
 * @example
 *   const ids = await enqueueHookDeliveries(db, hooks, { id: `${f.id}:finding.created`, type: 'finding.created', … });
 *   for (const id of ids) await boss.send('hook.deliver', { deliveryId: id }, { singletonKey: id, retryLimit: 8, retryBackoff: true });
 */
export async function enqueueHookDeliveries(
  db: Kysely<Database>,
  hooks: readonly HookConfig[],
  event: HookEvent,
): Promise<string[]> {
  const subscribed = hooks.filter((hook) => hook.events.includes(event.type));
  if (subscribed.length === 0) return [];
  await db
    .insertInto('hook_deliveries')
    .values(
      subscribed.map((hook) => ({
        hook: hook.name,
        event: event.type,
        event_id: event.id,
        finding_id: event.finding.id,
      })),
    )
    .onConflict((oc) => oc.columns(['hook', 'event_id']).doNothing())
    .execute();
  const rows = await db
    .selectFrom('hook_deliveries')
    .select(['id', 'hook'])
    .where('event_id', '=', event.id)
    .where(
      'hook',
      'in',
      subscribed.map((hook) => hook.name),
    )
    .where('status', '=', 'pending')
    .execute();
  const idByHook = new Map(rows.map((row) => [row.hook, row.id]));
  return subscribed.flatMap((hook) => idByHook.get(hook.name) ?? []);
}

/** The request body: the event, plus the raw credential only for a hook that explicitly asked for it. */
function hookBody(hook: HookConfig, event: HookEvent, secret: Secret | undefined): string {
  const { id, type, occurredAt, finding } = event;
  // Fields are picked rather than spread so that nothing a caller attached to the event travels along.
  const payload: Record<string, unknown> = { id, type, occurredAt, finding };
  if (hook.includeSecret && secret !== undefined) payload.secret = secret.reveal();
  return JSON.stringify(payload);
}

/** Replaces every spelling of a sensitive value a message could carry (raw, JSON-escaped, URL-encoded). */
function scrubber(sensitive: readonly string[]): (message: string) => string {
  const needles = sensitive
    .filter((value) => value.length > 0)
    .flatMap((value) => [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
  return (message) =>
    needles.reduce((text, needle) => text.split(needle).join('[redacted]'), message).slice(0, MAX_ERROR_CHARS);
}

/** `Retry-After` as seconds from now: delta-seconds or an HTTP date; undefined when absent or unparseable. */
function retryAfterSeconds(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  let seconds: number;
  if (/^\d+$/.test(value)) seconds = Number(value);
  else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    seconds = Math.ceil((at - nowMs) / 1000);
  }
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER_SECONDS);
}

/** 408 and 429 are the receiver asking to try again later; every 5xx is its own failure. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Sends one recorded delivery: POSTs the JSON event, signed, with a timeout
 * and without following redirects, and records the attempt on its row.
 * 2xx → `delivered`; 408/429/5xx, network errors and timeouts → `retry` (with
 * the receiver's Retry-After, if any; the pg-boss job should throw to be
 * retried with backoff); redirects and other 4xx → `failed`. A delivery that is
 * already delivered or failed is not sent again. Errors are scrubbed of the raw
 * credential and the signing key, and a response body is never stored, since a
 * receiver may echo the request.
 *
 * Delivery is at least once: receivers should de-duplicate on
 * `X-Leakwatch-Delivery` (or the event id in the body).
 *
 * @example
 *   const outcome = await deliverHook(db, hook, deliveryId, event, hook.includeSecret ? secret : undefined);
 *   if (outcome.result === 'retry') throw new Error(outcome.error); // pg-boss retries with backoff
 */
export async function deliverHook(
  db: Kysely<Database>,
  hook: HookConfig,
  deliveryId: string,
  event: HookEvent,
  secret: Secret | undefined,
  options: DeliverHookOptions = {},
): Promise<HookDeliveryOutcome> {
  const now = options.now ?? Date.now;
  const doFetch = options.fetch ?? fetch;

  const row = await db
    .selectFrom('hook_deliveries')
    .select(['hook', 'event_id', 'status', 'attempts', 'last_status_code', 'last_error'])
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  // The row is gone only when its finding was deleted: nothing left to deliver, and retrying would not help.
  if (!row) return { result: 'failed', error: 'delivery not found' };
  if (row.hook !== hook.name || row.event_id !== event.id) {
    throw new Error(`delivery ${deliveryId} belongs to hook ${row.hook} / event ${row.event_id}`);
  }
  if (row.status === 'delivered') return { result: 'delivered', ...statusOf(row.last_status_code) };
  if (row.status === 'failed') {
    return { result: 'failed', ...statusOf(row.last_status_code), error: row.last_error ?? 'failed' };
  }

  const scrub = scrubber([secret?.reveal() ?? '', hook.secret]);
  const body = hookBody(hook, event, secret);
  const timestamp = Math.floor(now() / 1000);
  let outcome: HookDeliveryOutcome;
  try {
    const response = await doFetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
        'x-leakwatch-event': event.type,
        'x-leakwatch-delivery': deliveryId,
        'x-leakwatch-timestamp': String(timestamp),
        'x-leakwatch-signature': signHook(hook.secret, timestamp, body),
      },
      body,
      // A redirect could carry a secret-bearing body to a host nobody configured.
      redirect: 'manual',
      signal: AbortSignal.timeout(hook.timeoutMs),
    });
    // Only the status matters; draining would let a slow receiver hold the worker.
    await response.body?.cancel().catch(() => {});
    const status = response.status;
    const reason = scrub(`HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}`);
    if (status >= 200 && status < 300) outcome = { result: 'delivered', statusCode: status };
    else if (isRetryableStatus(status)) {
      const after = retryAfterSeconds(response.headers.get('retry-after'), now());
      outcome = {
        result: 'retry',
        statusCode: status,
        error: reason,
        ...(after !== undefined ? { retryAfterSeconds: after } : {}),
      };
    } else if (status >= 300 && status < 400) {
      outcome = {
        result: 'failed',
        statusCode: status,
        error: `${reason}: redirects are not followed, configure the final URL`,
      };
    } else outcome = { result: 'failed', statusCode: status, error: reason };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const message =
      e.name === 'TimeoutError' || e.name === 'AbortError'
        ? `timed out after ${hook.timeoutMs} ms`
        : `request failed: ${e.cause?.code ?? e.cause?.message ?? e.message}`;
    outcome = { result: 'retry', error: scrub(message) };
  }

  const attempts = row.attempts + 1;
  if (outcome.result === 'retry' && options.maxAttempts !== undefined && attempts >= options.maxAttempts) {
    outcome = {
      result: 'failed',
      ...statusOf(outcome.statusCode),
      error: `${outcome.error} (gave up after ${attempts} attempts)`,
    };
  }
  await db
    .updateTable('hook_deliveries')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      status: outcome.result === 'retry' ? 'pending' : outcome.result,
      last_status_code: outcome.statusCode ?? null,
      last_error: outcome.result === 'delivered' ? null : outcome.error,
      ...(outcome.result === 'delivered' ? { delivered_at: new Date(now()) } : {}),
    }))
    .where('id', '=', deliveryId)
    // A concurrent attempt that already finished the delivery wins; this one only adds noise.
    .where('status', '=', 'pending')
    .execute();
  return outcome;
}

function statusOf(code: number | null | undefined): { statusCode?: number } {
  return code === null || code === undefined ? {} : { statusCode: code };
}
