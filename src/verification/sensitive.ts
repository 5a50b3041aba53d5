import { Secret } from '../core/secret.ts';
import type { Sensitive } from '../core/verification.ts';

/**
 * Composes a header/URL/body value around secrets without revealing them to
 * the caller: the result is itself a `Secret` whose printed form shows only the
 * redacted parts. The HTTP wrapper reveals it when it sends the request.
 *
 * @example ctx.request({ url: 'https://api.github.com/user', headers: { authorization: secretText`token ${secret}` } })
 */
export function secretText(strings: TemplateStringsArray, ...values: Sensitive[]): Secret {
  let raw = strings[0] ?? '';
  let redacted = raw;
  values.forEach((value, i) => {
    const tail = strings[i + 1] ?? '';
    raw += (typeof value === 'string' ? value : value.reveal()) + tail;
    redacted += String(value) + tail;
  });
  return new Secret(raw, redacted);
}

/** `Basic base64(user:password)` as a Secret. */
export function basicAuth(user: Sensitive, password: Sensitive): Secret {
  const raw = `${reveal(user)}:${reveal(password)}`;
  return new Secret(`Basic ${Buffer.from(raw).toString('base64')}`, `Basic <${String(user)}:${String(password)}>`);
}

/** Form-encodes fields (some of them secret) as a Secret body. */
export function formBody(fields: Readonly<Record<string, Sensitive>>): Secret {
  const raw = new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, reveal(v)])).toString();
  const shown = Object.entries(fields)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('&');
  return new Secret(raw, shown);
}

/** JSON body with secret values as a Secret. */
export function jsonBody(value: Readonly<Record<string, Sensitive | number | boolean | readonly Sensitive[]>>): Secret {
  const rawOf = (v: unknown): unknown => (v instanceof Secret ? v.reveal() : Array.isArray(v) ? v.map(rawOf) : v);
  const raw = JSON.stringify(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rawOf(v)])));
  return new Secret(raw, JSON.stringify(value));
}

/** Only for the HTTP wrapper and the helpers above. */
export function reveal(value: Sensitive): string {
  return typeof value === 'string' ? value : value.reveal();
}
