import { createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Fingerprint of a credential: HMAC-SHA256 under a server key, hex. Never a bare
 * hash: a bare SHA-256 of a low-entropy password could be brute-forced from the
 * database, an HMAC cannot without the key.
 */
export function fingerprint(key: string | Uint8Array | KeyObject, parts: readonly string[]): string {
  const hmac = createHmac('sha256', key);
  // Length-prefix each part so ('ab','c') and ('a','bc') differ.
  for (const part of parts) hmac.update(`${part.length}:`).update(part);
  return hmac.digest('hex');
}

const KEY_FILE = 'fingerprint.key';

/**
 * The key from `LEAKWATCH_FINGERPRINT_KEY` when set; otherwise a random key kept
 * in `<dataDir>/fingerprint.key` (created with mode 0600 on first run). Keep it:
 * a new key gives every known secret a new fingerprint, so de-duplication and
 * allowlists by fingerprint stop matching.
 */
export function loadFingerprintKey(dataDir: string, fromEnv: string | undefined): string {
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv;
  const path = join(dataDir, KEY_FILE);
  try {
    const existing = readFileSync(path, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  // 'wx' fails if another process created it first; then read theirs.
  try {
    writeFileSync(path, `${key}\n`, { flag: 'wx', mode: 0o600 });
    chmodSync(path, 0o600);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return readFileSync(path, 'utf8').trim();
  }
}
