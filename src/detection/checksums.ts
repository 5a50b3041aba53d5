import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 (alphabet `0-9A-Za-z`) of an unsigned integer, left-padded with `0` to `width`. */
export function base62(value: number, width: number): string {
  let n = value >>> 0;
  let out = '';
  do {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub (`ghp_` `gho_` `ghu_` `ghs_` `ghr_`) and npm (`npm_`) tokens end with
 * six base62 characters of the IEEE CRC32 of the random body that precedes them.
 * Source: github.blog 2021-04-05 and 2021-09-23.
 */
export function hasBase62Crc32(token: string, prefix: string): boolean {
  if (!token.startsWith(prefix) || token.length < prefix.length + 7) return false;
  const body = token.slice(prefix.length, -6);
  return base62(crc32(body), 6) === token.slice(-6);
}

/** Builds a checksum-valid GitHub/npm-style token from a body (used by tests and the benchmark corpus). */
export function withBase62Crc32(prefix: string, body: string): string {
  return `${prefix}${body}${base62(crc32(body), 6)}`;
}

/**
 * GitLab routable tokens (`glpat-…`, `glrt-t…`): `<prefix><payload>.<ver>.<len36><crc7>` where crc7 is
 * base36(CRC32(everything before it)), lowercase, zero-padded to 7.
 * Source: gitlab `lib/authn/token_field/generator/routable_token.rb`.
 */
export function hasGitlabRoutableCrc(token: string): boolean {
  if (token.length < 8) return false;
  const expected = (crc32(token.slice(0, -7)) >>> 0).toString(36).padStart(7, '0');
  return expected === token.slice(-7);
}

/** Appends the routable CRC to everything that precedes it. */
export function withGitlabRoutableCrc(withoutCrc: string): string {
  return withoutCrc + (crc32(withoutCrc) >>> 0).toString(36).padStart(7, '0');
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/**
 * Fine-grained GitHub PATs (`github_pat_` + 82) carry an 8-character check at
 * offset 66 of the body: the first 8 characters of Base32(SHA-256(preceding
 * text)). Reverse-engineered, not documented, so it is a confidence score:
 * 1 when it holds, 0.6 when it does not (the format alone is still specific).
 */
export function githubFineGrainedScore(token: string): number {
  const prefix = 'github_pat_';
  if (!token.startsWith(prefix) || token.length !== prefix.length + 82) return 0;
  const checkAt = prefix.length + 66;
  const check = token.slice(checkAt, checkAt + 8).toUpperCase();
  for (const covered of [token.slice(0, checkAt), token.slice(prefix.length, checkAt)]) {
    const digest = createHash('sha256').update(covered).digest();
    if (base32(digest).slice(0, 8) === check) return 1;
  }
  return 0.6;
}
