import { createHmac, timingSafeEqual } from 'node:crypto';

/** Receivers accept a delivery this long around its timestamp, which bounds replays (same window as Slack). */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The `X-Leakwatch-Signature` value for a delivery: HMAC-SHA256 with the hook's
 * signing key over `<timestamp>.<body>`, where the timestamp (unix seconds) is
 * also sent as `X-Leakwatch-Timestamp`. Signing the timestamp stops a captured
 * delivery from being replayed later with a fresh one.
 *
 * @example
 *   signHook('a-signing-key-of-at-least-32-chars', 1767225600, '{"type":"finding.created"}')
 *   // → 'v1=5f0c…' (64 hex digits)
 */
export function signHook(secret: string, timestamp: number, body: string): string {
  return `v1=${hmacHex(secret, timestamp, body)}`;
}

/**
 * Checks a delivery as a receiver would: the timestamp is within
 * `toleranceSeconds` of `nowSeconds` and one of the `v1=` signatures in the
 * header (several are allowed, comma-separated, for key rotation) matches the
 * raw body. Compares in constant time; never throws on malformed input.
 *
 * @example
 *   const ok = verifyHookSignature(key, req.headers['x-leakwatch-signature'],
 *     req.headers['x-leakwatch-timestamp'], rawBody, Math.floor(Date.now() / 1000));
 */
export function verifyHookSignature(
  secret: string,
  header: string | null | undefined,
  timestampHeader: string | null | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  if (!header || !timestampHeader || !/^\d{1,12}$/.test(timestampHeader.trim())) return false;
  const timestamp = Number(timestampHeader.trim());
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, timestamp, body), 'hex');
  let matched = false;
  for (const part of header.split(',')) {
    const candidate = /^\s*v1=([0-9a-fA-F]{64})\s*$/.exec(part)?.[1];
    if (!candidate) continue;
    // No early exit: every candidate is compared, so timing does not reveal which one matched.
    if (timingSafeEqual(Buffer.from(candidate, 'hex'), expected)) matched = true;
  }
  return matched;
}
