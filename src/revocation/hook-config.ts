import { z } from 'zod';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';

const ENV = 'LEAKWATCH_HOOKS';

/** Finding events a hook can subscribe to. */
export const HOOK_EVENT_TYPES = [
  'finding.created',
  'finding.verified_live',
  'finding.revoke_requested',
  'finding.resolved',
] as const;
export type HookEventType = (typeof HOOK_EVENT_TYPES)[number];

/** Plain http is accepted only for these hosts: an internal service on the same machine, in development. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const DEFAULT_HOOK_TIMEOUT_MS = 10_000;

/** One configured outbound hook, validated and with defaults applied. */
export interface HookConfig {
  /** Stable name; with the event id it is the delivery's idempotency key, so renaming a hook re-sends. */
  name: string;
  url: string;
  /** HMAC-SHA256 signing key shared with the receiver (not a leaked credential). */
  secret: string;
  events: HookEventType[];
  /** Whether the raw leaked credential goes into the body (e.g. an internal revocation service). */
  includeSecret: boolean;
  timeoutMs: number;
}

const hookUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be an absolute URL' });
    return;
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    ctx.addIssue({
      code: 'custom',
      message: 'must use https (plain http is only allowed for localhost / 127.0.0.1, for internal services in dev)',
    });
  }
  // Credentials in the URL would end up wherever the URL is shown; the signature is the authentication.
  if (url.username || url.password) {
    ctx.addIssue({ code: 'custom', message: 'must not contain credentials (receivers authenticate the signature)' });
  }
});

const hookSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-", starting alphanumeric'),
  url: hookUrl,
  secret: z.string().min(32, 'must be at least 32 characters (use e.g. `openssl rand -hex 32`)'),
  events: z
    .array(z.enum(HOOK_EVENT_TYPES))
    .min(1, 'must list at least one event (leave it out to receive all)')
    .default([...HOOK_EVENT_TYPES]),
  includeSecret: z.boolean().default(false),
  timeoutMs: z.number().int().min(100).max(60_000).default(DEFAULT_HOOK_TIMEOUT_MS),
});

const hooksSchema = z.array(hookSchema).superRefine((hooks, ctx) => {
  const seen = new Set<string>();
  hooks.forEach((hook, index) => {
    if (seen.has(hook.name))
      ctx.addIssue({ code: 'custom', path: [index, 'name'], message: 'is used by another hook' });
    seen.add(hook.name);
  });
});

/** `['rules', 1, 'url']` → `LEAKWATCH_HOOKS[1].url`. */
function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}.${String(key)}`), ENV);
}

function fail(lines: string[]): never {
  throw new LeakwatchError(ErrorCode.ConfigInvalid, `invalid configuration:\n  ${lines.join('\n  ')}`);
}

/**
 * Parses `LEAKWATCH_HOOKS` (a JSON array of hooks) once, at start. Unset or
 * blank means no hooks. Errors name the field and never echo a value, since
 * the text holds signing keys.
 *
 * @example
 *   parseHooksConfig('[{"name":"revoker","url":"https://revoke.internal/hook","secret":"…32+ chars…","includeSecret":true}]')
 *   // → [{ name: 'revoker', events: [all four], includeSecret: true, timeoutMs: 10000, … }]
 *   parseHooksConfig('[{"name":"x","url":"http://example.com",…}]')
 *   // throws "LEAKWATCH_HOOKS[0].url: must use https …"
 */
export function parseHooksConfig(json: string | undefined): HookConfig[] {
  if (json === undefined || json.trim() === '') return [];
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    // V8's message quotes the input around the error, and the input holds signing keys: keep only the position.
    const position = /position \d+/.exec((error as Error).message)?.[0];
    fail([`${ENV}: not valid JSON${position ? ` (at ${position})` : ''}`]);
  }
  const parsed = hooksSchema.safeParse(raw);
  if (!parsed.success) fail(parsed.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`));
  return parsed.data;
}
