import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { Rng } from './rng.ts';

/**
 * Real, parseable private keys derived from the corpus seed. `generateKeyPairSync`
 * cannot be seeded, and a key that changes every run would make the corpus (and
 * any miss it exposes) irreproducible, so the key material is drawn from the
 * seeded generator and node:crypto only does the encoding.
 */

const SMALL_PRIMES = (() => {
  const primes: bigint[] = [];
  for (let n = 3; primes.length < 300; n += 2) {
    if (primes.every((p) => BigInt(n) % p !== 0n)) primes.push(BigInt(n));
  }
  return primes;
})();

function randomBigInt(rng: Rng, bits: number): bigint {
  let value = 0n;
  for (let i = 0; i < bits; i += 8) value = (value << 8n) | BigInt(rng.int(256));
  return value & ((1n << BigInt(bits)) - 1n);
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [a % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new Error('not invertible');
  return ((oldS % m) + m) % m;
}

function isProbablePrime(n: bigint, rng: Rng, rounds = 24): boolean {
  for (const p of SMALL_PRIMES) if (n % p === 0n) return n === p;
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  witness: for (let i = 0; i < rounds; i++) {
    const a = 2n + (randomBigInt(rng, 64) % (n - 4n));
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    for (let r = 1; r < s; r++) {
      x = (x * x) % n;
      if (x === n - 1n) continue witness;
    }
    return false;
  }
  return true;
}

function randomPrime(rng: Rng, bits: number, e: bigint): bigint {
  for (;;) {
    // Top two bits set so p·q has exactly 2·bits bits; odd.
    const candidate = randomBigInt(rng, bits) | (3n << BigInt(bits - 2)) | 1n;
    if ((candidate - 1n) % e === 0n) continue;
    if (isProbablePrime(candidate, rng)) return candidate;
  }
}

function base64url(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex').toString('base64url');
}

/** An RSA private key (1024-bit: only the encoding matters to a detector) as PKCS#1 or PKCS#8 PEM. */
export function rsaPrivateKeyPem(rng: Rng, type: 'pkcs1' | 'pkcs8'): string {
  const e = 65537n;
  const p = randomPrime(rng, 512, e);
  let q = randomPrime(rng, 512, e);
  while (q === p) q = randomPrime(rng, 512, e);
  const n = p * q;
  const d = modInverse(e, (p - 1n) * (q - 1n));
  const key = createPrivateKey({
    format: 'jwk',
    key: {
      kty: 'RSA',
      n: base64url(n),
      e: base64url(e),
      d: base64url(d),
      p: base64url(p),
      q: base64url(q),
      dp: base64url(d % (p - 1n)),
      dq: base64url(d % (q - 1n)),
      qi: base64url(modInverse(q, p)),
    },
  });
  return key.export({ type, format: 'pem' }).toString();
}

/** PKCS#8 DER of an Ed25519 key is a fixed 16-byte header followed by the 32-byte seed. */
const ED25519_PKCS8_HEADER = Buffer.from('302e020100300506032b657004220420', 'hex');

function ed25519Key(rng: Rng): { pkcs8Pem: string; seed: Buffer; publicKey: Buffer } {
  const seed = Buffer.from(rng.bytes(32));
  const key = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_HEADER, seed]), format: 'der', type: 'pkcs8' });
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('ed25519 public key export failed');
  return {
    pkcs8Pem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    seed,
    publicKey: Buffer.from(jwk.x, 'base64url'),
  };
}

export function ed25519Pkcs8Pem(rng: Rng): string {
  return ed25519Key(rng).pkcs8Pem;
}

function sshString(value: Buffer | string): Buffer {
  const body = typeof value === 'string' ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0);
  return out;
}

/** An unencrypted `openssh-key-v1` Ed25519 key, the format `ssh-keygen` writes by default (PROTOCOL.key). */
export function opensshEd25519Pem(rng: Rng, comment: string): string {
  const { seed, publicKey } = ed25519Key(rng);
  const publicBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(publicKey)]);
  const check = rng.int(2 ** 32);
  let privateSection = Buffer.concat([
    uint32(check),
    uint32(check),
    sshString('ssh-ed25519'),
    sshString(publicKey),
    sshString(Buffer.concat([seed, publicKey])),
    sshString(comment),
  ]);
  const padding: number[] = [];
  for (let i = 1; (privateSection.length + padding.length) % 8 !== 0; i++) padding.push(i);
  privateSection = Buffer.concat([privateSection, Buffer.from(padding)]);
  const body = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    sshString('none'),
    sshString('none'),
    sshString(''),
    uint32(1),
    sshString(publicBlob),
    sshString(privateSection),
  ]).toString('base64');
  const lines = body.match(/.{1,70}/g) ?? [];
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines.join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
