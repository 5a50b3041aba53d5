import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { SealedBox } from '../../findings/sealed-box.ts';
import { isHttps } from '../client-address.ts';

const SESSION_COOKIE = 'lw_session';
const SIGN_IN_COOKIE = 'lw_signin';
const FLASH_COOKIE = 'lw_flash';
/** A session lasts a working day; signing in again is cheap and bounds a stolen cookie's use. */
export const SESSION_TTL_MS = 8 * 3600_000;
const SIGN_IN_TTL_S = 15 * 60;

export interface Session {
  /** The API key the session acts as (by id: the key itself is never kept). */
  keyId: string;
  /** Per-session token every form must echo (double protection with SameSite=Strict). */
  csrf: string;
  expiresAt: number;
}

export interface Flash {
  kind: 'notice' | 'error';
  text: string;
}

/** Constant-time comparison of two tokens of any length. */
export function sameToken(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b)) && a.length === b.length;
}

/**
 * Dashboard sessions as sealed cookies (AES-256-GCM with a key of their own
 * purpose): nothing to store server-side, valid across processes sharing the
 * key, and unreadable and unforgeable by the browser. A session names the API
 * key it acts as, which is re-checked on every request, so revoking the key
 * ends the session. Cookies are HttpOnly, SameSite=Strict, and Secure over HTTPS.
 */
export class DashboardSessions {
  readonly #box: SealedBox;
  readonly #trustProxy: boolean;

  constructor(box: SealedBox, trustProxy: boolean) {
    this.#box = box;
    this.#trustProxy = trustProxy;
  }

  #cookie(c: Context, name: string, value: string, maxAgeSeconds: number) {
    setCookie(c, name, value, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: isHttps(c, this.#trustProxy),
      maxAge: maxAgeSeconds,
    });
  }

  /** Starts a session for `keyId`; returns it. */
  start(c: Context, keyId: string, now: Date): Session {
    const session: Session = {
      keyId,
      csrf: randomBytes(24).toString('base64url'),
      expiresAt: now.getTime() + SESSION_TTL_MS,
    };
    this.#cookie(c, SESSION_COOKIE, this.#box.seal(JSON.stringify(session)), SESSION_TTL_MS / 1000);
    deleteCookie(c, SIGN_IN_COOKIE, { path: '/' });
    return session;
  }

  /** The current session, or undefined when there is none, it was tampered with, or it expired. */
  read(c: Context, now: Date): Session | undefined {
    const value = getCookie(c, SESSION_COOKIE);
    if (!value) return undefined;
    try {
      const session = JSON.parse(this.#box.open(value)) as Session;
      if (typeof session.keyId !== 'string' || typeof session.csrf !== 'string') return undefined;
      if (typeof session.expiresAt !== 'number' || session.expiresAt <= now.getTime()) return undefined;
      return session;
    } catch {
      return undefined;
    }
  }

  end(c: Context): void {
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: isHttps(c, this.#trustProxy) });
  }

  /**
   * The sign-in form's token, set as a cookie and echoed by the form, so a
   * third-party page cannot sign a browser in with the attacker's key.
   */
  signInToken(c: Context): string {
    const existing = getCookie(c, SIGN_IN_COOKIE);
    if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return existing;
    const token = randomBytes(24).toString('base64url');
    this.#cookie(c, SIGN_IN_COOKIE, token, SIGN_IN_TTL_S);
    return token;
  }

  checkSignInToken(c: Context, presented: string): boolean {
    const expected = getCookie(c, SIGN_IN_COOKIE);
    return expected !== undefined && sameToken(expected, presented);
  }

  /** A one-time message shown on the next page (after a redirect). */
  flash(c: Context, flash: Flash): void {
    this.#cookie(c, FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString('base64url'), 60);
  }

  takeFlash(c: Context): Flash | undefined {
    const value = getCookie(c, FLASH_COOKIE);
    if (!value) return undefined;
    deleteCookie(c, FLASH_COOKIE, { path: '/' });
    try {
      const flash = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Flash;
      if ((flash.kind !== 'notice' && flash.kind !== 'error') || typeof flash.text !== 'string') return undefined;
      return { kind: flash.kind, text: flash.text.slice(0, 500) };
    } catch {
      return undefined;
    }
  }
}

/**
 * Refuses form posts a browser sent on behalf of another site: a foreign (or
 * opaque) Origin, or Sec-Fetch-Site saying cross-site. Requests without those
 * headers (old browsers, curl) still need the CSRF token.
 */
export function isSameOrigin(c: Context, trustProxy: boolean): boolean {
  if (c.req.header('sec-fetch-site') === 'cross-site') return false;
  const origin = c.req.header('origin');
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  const host =
    (trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined) ?? c.req.header('host');
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
