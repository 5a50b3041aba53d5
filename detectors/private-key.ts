import type { Detector } from '../src/core/detector.ts';
import { shannonEntropy } from '../src/detection/entropy.ts';

/**
 * PEM / OpenSSH / PGP private key blocks. The body may arrive with its newlines
 * intact, collapsed into spaces (chat clients), or as `\n` escapes inside a JSON
 * string (service-account files, Helm values), so the pattern only bounds the
 * block and `validate` normalises and checks the body.
 *
 * The shared placeholder filter is skipped on purpose: DER and OpenSSH bodies
 * encode runs of zero bytes as `AAAAAAAA…` (every OpenSSH key has one), and
 * indented YAML puts 6+ spaces inside the block, so the "repeated character"
 * rule would drop real keys. Placeholder bodies (`MIIE...`, `<key>`, `xxxx`)
 * are rejected in `validate` instead.
 */

const KIND = '(?:RSA|EC|DSA|OPENSSH|PGP|ENCRYPTED)[ ]';
/**
 * Body: anything but a run of five dashes, so a block never swallows the next
 * `-----BEGIN`; up to 10 000 chars covers RSA-8192 and PGP blocks with subkeys.
 */
const PEM_PATTERN = new RegExp(
  `(?<secret>-----BEGIN[ ](?<kind>${KIND})?PRIVATE[ ]KEY(?:[ ]BLOCK)?-----` +
    `(?<body>(?:[^-]|-(?!----)){64,10000})` +
    `-----END[ ](?:${KIND})?PRIVATE[ ]KEY(?:[ ]BLOCK)?-----)`,
);

const WINDOW = { before: 64, after: 10_240 } as const;
const KEYWORDS = ['private key-----', 'private key block-----'] as const;

const BASE64_BODY = /^[A-Za-z0-9+/=]+$/;
const PROC_TYPE_ENCRYPTED = /Proc-Type:[ \t]*4,[ \t]*ENCRYPTED/;
const LEGACY_HEADERS = /(?:Proc-Type|DEK-Info):[ \t]*[\w-]+(?:,[ \t]*[\w-]+)?/g;
/** PGP armor headers end at a newline, or (body collapsed onto one line) before the first long base64 run. */
const PGP_HEADERS = /(?:Version|Comment|Hash|Charset|MessageID):[^\n]*?(?=\n|\s[A-Za-z0-9+/]{40})/g;
/** A random body never repeats one character 8 times, except `A` (zero bytes) and `/` (0xff bytes). */
const FILLER_RUN = /([^A/])\1{7}/;
const PLACEHOLDER_WORDS = /example|redacted|placeholder|yourkey|privatekeyhere|notreal|dummykey/i;

interface PemFacts {
  kind: string;
  encrypted: boolean;
}

/** Body base64 with escapes, armor headers and whitespace removed; undefined if it is not a key body. */
function normalizeBody(rawBody: string, kind: string): { body: string; legacyEncrypted: boolean } | undefined {
  // JSON escapes first (\n, \r, \t, and the \/ some encoders emit), keeping line structure as spaces.
  let text = rawBody.replace(/\\+[nrt]/g, '\n').replace(/\\+/g, '');
  // Quoted multi-line literals ("...\n" + "...", one array item per line) and chat quote markers:
  // quotes are never base64, nor is a `+`/`,` standing between spaces.
  text = text
    .replace(/["'`]/g, ' ')
    .replace(/(^|\s)[+,](?=\s|$)/g, ' ')
    .replace(/(?:^|\n)[ \t]*>/g, '\n');
  const legacyEncrypted = PROC_TYPE_ENCRYPTED.test(text);
  text = text.replace(LEGACY_HEADERS, ' ');
  if (kind === 'PGP') text = text.replace(PGP_HEADERS, ' ');
  const body = text.replace(/\s+/g, '');
  if (body.length < 64 || !BASE64_BODY.test(body)) return undefined;
  return { body, legacyEncrypted };
}

function decodeHead(body: string, bytes: number): Buffer {
  const head = body.replace(/=.*$/, '').slice(0, Math.ceil(bytes / 3) * 4);
  return Buffer.from(head, 'base64');
}

/** OpenSSH `openssh-key-v1\0` + string ciphername: `none` means the key is not passphrase-protected. */
function opensshCipher(body: string): string | undefined {
  const bytes = decodeHead(body, 64);
  const magic = 'openssh-key-v1\0';
  if (bytes.subarray(0, magic.length).toString('latin1') !== magic) return undefined;
  if (bytes.length < magic.length + 4) return undefined;
  const length = bytes.readUInt32BE(magic.length);
  if (length === 0 || length > 32 || bytes.length < magic.length + 4 + length) return undefined;
  return bytes.subarray(magic.length + 4, magic.length + 4 + length).toString('latin1');
}

/**
 * S2K usage octet of the first OpenPGP secret-key packet (RFC 4880 §5.5.3,
 * RFC 9580 §5.5.3): 0 = secret material in the clear. Undefined when the
 * packet cannot be walked (unknown algorithm, truncated body).
 */
function pgpS2kUsage(body: string): number | undefined {
  const bytes = decodeHead(body, 2048);
  let p = 0;
  const first = bytes[p++];
  if (first === undefined || (first & 0x80) === 0) return undefined;
  let tag: number;
  if (first & 0x40) {
    tag = first & 0x3f;
    const l1 = bytes[p++] ?? 0;
    if (l1 >= 192 && l1 < 224) p++;
    else if (l1 === 255) p += 4;
  } else {
    tag = (first >> 2) & 0x0f;
    const lengthType = first & 0x03;
    p += lengthType === 0 ? 1 : lengthType === 1 ? 2 : lengthType === 2 ? 4 : 0;
  }
  if (tag !== 5 && tag !== 7) return undefined;
  const version = bytes[p++];
  p += 4; // creation time
  const algorithm = bytes[p++];
  if (version === 5 || version === 6) {
    if (p + 4 > bytes.length) return undefined;
    p += 4 + bytes.readUInt32BE(p);
    return bytes[p];
  }
  if (version !== 4 || algorithm === undefined) return undefined;
  const mpi = (): boolean => {
    if (p + 2 > bytes.length) return false;
    p += 2 + Math.ceil(bytes.readUInt16BE(p) / 8);
    return p <= bytes.length;
  };
  const oid = (): boolean => {
    const length = bytes[p];
    if (length === undefined || length === 0 || length === 0xff) return false;
    p += 1 + length;
    return p <= bytes.length;
  };
  const fixed: Record<number, number> = { 25: 32, 26: 56, 27: 32, 28: 57 };
  let ok: boolean;
  if (algorithm <= 3) ok = mpi() && mpi();
  else if (algorithm === 16 || algorithm === 20) ok = mpi() && mpi() && mpi();
  else if (algorithm === 17) ok = mpi() && mpi() && mpi() && mpi();
  else if (algorithm === 19 || algorithm === 22) ok = oid() && mpi();
  else if (algorithm === 18) {
    ok = oid() && mpi();
    const kdf = bytes[p];
    if (ok && kdf !== undefined) p += 1 + kdf;
  } else if (fixed[algorithm] !== undefined) {
    p += fixed[algorithm];
    ok = p <= bytes.length;
  } else ok = false;
  return ok ? bytes[p] : undefined;
}

/** Structure check of a normalised body; returns whether the key is passphrase-protected. */
function inspectPem(groups: Readonly<Record<string, string | undefined>>): PemFacts | undefined {
  const kind = (groups.kind ?? '').trim();
  const normalized = normalizeBody(groups.body ?? '', kind);
  if (normalized === undefined) return undefined;
  const { body, legacyEncrypted } = normalized;
  if (FILLER_RUN.test(body) || PLACEHOLDER_WORDS.test(body)) return undefined;
  if (shannonEntropy(body) < 4.2) return undefined;
  if (!/[a-z]/.test(body) || !/[A-Z]/.test(body) || !/[0-9]/.test(body)) return undefined;

  let encrypted = kind === 'ENCRYPTED' || legacyEncrypted;
  if (kind === 'OPENSSH') {
    const cipher = opensshCipher(body);
    if (cipher === undefined) return undefined;
    encrypted = cipher !== 'none';
  } else if (kind === 'PGP') {
    const first = decodeHead(body, 3)[0];
    if (first === undefined || (first & 0x80) === 0) return undefined;
    const usage = pgpS2kUsage(body);
    // An unparseable packet counts as unprotected: the safer mistake for a private key.
    encrypted = usage !== undefined && usage !== 0;
  } else if (!legacyEncrypted && decodeHead(body, 3)[0] !== 0x30) {
    // PKCS#1, SEC1, PKCS#8 and EncryptedPrivateKeyInfo are all DER SEQUENCEs.
    return undefined;
  }
  return { kind, encrypted };
}

export const privateKey: Detector = {
  id: 'private-key',
  name: 'Private key (PEM, OpenSSH, PGP)',
  issuer: 'private-key',
  keywords: KEYWORDS,
  pattern: PEM_PATTERN,
  window: WINDOW,
  skipPlaceholderFilter: true,
  validate: (_secret, groups) => {
    const facts = inspectPem(groups);
    return facts !== undefined && !facts.encrypted;
  },
  // A detector that knows whose key it is (GitHub App key + App ID, GCP service account) wins on the same span.
  generic: true,
  severity: 'critical',
  examples: {
    match: [
      // SEC1 EC key pasted into a Slack code block
      'here is the signer key for the staging relay:\n```\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFdGxd+9Z34UPJ2BgqB14QiVI8JWgWAAwcZfKYr0oEtDoAoGCCqGSM49\nAwEHoUQDQgAEFFneQLXKD5RyGv8fQIbnTMogOHRKhyAFdZNM6JuYvMIryrG63Ly1\njMKg0Lkpug2YiwJ6xNn3JXFxUEH+zbtKgg==\n-----END EC PRIVATE KEY-----\n```',
      // the same key after a chat client collapsed the newlines
      'key: -----BEGIN EC PRIVATE KEY----- MHcCAQEEIFdGxd+9Z34UPJ2BgqB14QiVI8JWgWAAwcZfKYr0oEtDoAoGCCqGSM49 AwEHoUQDQgAEFFneQLXKD5RyGv8fQIbnTMogOHRKhyAFdZNM6JuYvMIryrG63Ly1 jMKg0Lkpug2YiwJ6xNn3JXFxUEH+zbtKgg== -----END EC PRIVATE KEY----- (rotating tomorrow)',
      // PKCS#8 in a JSON string with \\n escapes
      '{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIEUoKlqAK/Yf6fz9AbYCCUsL2fWKxiaswXBBXzb2zhLP\\n-----END PRIVATE KEY-----\\n"}',
      // OpenSSH key without passphrase (ciphername "none")
      'CI deploy key (no passphrase):\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\nQyNTUxOQAAACD48N8vtfUYSx+YqawSl92gToodncgZkXhV4Z/qd9My2gAAAJjM0EivzNBI\nrwAAAAtzc2gtZWQyNTUxOQAAACD48N8vtfUYSx+YqawSl92gToodncgZkXhV4Z/qd9My2g\nAAAEB0i5kyHDJcY+f6cBIK0sB0DYKkyHGZ0xUED6pxWWGtzfjw3y+19RhLH5iprBKX3aBO\nih2dyBmReFXhn+p30zLaAAAAE2RlcGxveUBjaS1ydW5uZXItMDcBAg==\n-----END OPENSSH PRIVATE KEY-----',
      // unprotected PGP signing key (S2K usage 0)
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlFgEaweInhYJKwYBBAHaRw8BAQdAzh1oMN4qzNxzC5xBHtiXhDSYI4AQ0Z/kTwX1\nB4DA4HgAAP9YqNraXAVpVDfMhJd0GvRydcB6z09mhqfti+Qlf9MvphHrtCpSZWxl\nYXNlIEJvdCA8cmVsZWFzZS1ib3RAY2kuYWNtZS5pbnRlcm5hbD6IkAQTFggAOBYh\nBHSeBBPSN8p26W3FkmClxNqmo9qeBQJrB4ieAhsDBQsJCAcCBhUKCQgLAgQWAgMB\nAh4BAheAAAoJEGClxNqmo9qeP10BAKaPUWhs8Z5ZL2GCy9GV1qxD7bhzfUO0Vub8\nesRyoo2XAQDc4BTKD7AEKLPiB3TxvtHxkjnrT0NGWFYlwVpKILg2CQ==\n=JAYc\n-----END PGP PRIVATE KEY BLOCK-----',
    ],
    ignore: [
      // truncated documentation snippet
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi...\n...\n-----END RSA PRIVATE KEY-----',
      '-----BEGIN PRIVATE KEY-----\n<paste your private key here>\n-----END PRIVATE KEY-----',
      'the file must start with -----BEGIN OPENSSH PRIVATE KEY----- and end with -----END OPENSSH PRIVATE KEY-----',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n-----END RSA PRIVATE KEY-----',
      // a certificate is public
      '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2n7nKf3Qp0vX8sYb4mZ7wH1rLkwCgYIKoZIzj0EAwIw\n-----END CERTIFICATE-----',
      // passphrase-protected keys belong to private-key-encrypted
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjX1HDiu8EwxgICCAAw\nDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEP/O2jOfnMywzLQkwrev9lIEgZBx\nIOr26quXFC6zKHOHme//XKgGRE8uABLy5OCfFNGg+LFJK1ZyuNz0SoZYgWIyHXlc\nNtRbHcp+mrqx+XrzWbRTGE5sizw0ocdAlv9Ru2QTJ7WbJ82fxuAGmEXybot8u94F\ne7XZUHcwj2SRDY+eTC/mBLKXC39EMSLb0Q+1mb5eo14LTugUub/eVvsWa7oNfG0=\n-----END ENCRYPTED PRIVATE KEY-----',
    ],
  },
};

export const privateKeyEncrypted: Detector = {
  id: 'private-key-encrypted',
  name: 'Passphrase-protected private key',
  issuer: 'private-key',
  keywords: KEYWORDS,
  pattern: PEM_PATTERN,
  window: WINDOW,
  skipPlaceholderFilter: true,
  validate: (_secret, groups) => {
    const facts = inspectPem(groups);
    return facts !== undefined && facts.encrypted;
  },
  generic: true,
  severity: 'medium',
  examples: {
    match: [
      // PKCS#8 EncryptedPrivateKeyInfo
      'attached the cert bundle, key is below (pass in the vault):\n-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAjX1HDiu8EwxgICCAAw\nDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEP/O2jOfnMywzLQkwrev9lIEgZBx\nIOr26quXFC6zKHOHme//XKgGRE8uABLy5OCfFNGg+LFJK1ZyuNz0SoZYgWIyHXlc\nNtRbHcp+mrqx+XrzWbRTGE5sizw0ocdAlv9Ru2QTJ7WbJ82fxuAGmEXybot8u94F\ne7XZUHcwj2SRDY+eTC/mBLKXC39EMSLb0Q+1mb5eo14LTugUub/eVvsWa7oNfG0=\n-----END ENCRYPTED PRIVATE KEY-----',
      // legacy OpenSSL encryption headers
      '-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,97E70E72C020BF22A82809F1D1115F64\n\nYCPEwtsDV7R6ulDi85OEckSkYY4sQqyI+Ot5uoN5yivqX+k0SZde4YGwsPSt8WdR\nwrtpBDUPVYNN8fMOCfM11Qr0WrvBvp6TXCUK8AGWWVuGk5m69/pomN8WiUHR/F1S\nSL+18SGaNpPIesSGMuiZ9V8brtfTfafYOZDr9my+Gyxsk/aJjadM47Ywt/jQ/F+T\n8uIIB27ALzZTJz5mYeg9FaO6yd8z/4euBemDFoD+ke/of8YoEN0xcyeNlJ8+DASX\nRLdkqJxa/h6gRwdSWLe13WoLUI5ApxXgGsHf/quS8bcKbEmZyNqHHzx/1g1kgFyB\nmdW5nWqwMoKdwBfAGmSEEQA7FAQ1sZVd64YkbZiZ+OV2STOMhgdMhC0VVUNoNguh\nrH05uIl/iqhOeA7dxJdvvO9nxlv/kZa6gmqwk4eZG7Q=\n-----END RSA PRIVATE KEY-----',
      // OpenSSH key with ciphername aes256-ctr
      '-----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAACmFlczI1Ni1jdHIAAAAGYmNyeXB0AAAAGAAAABBXMZeAOd 8i0DUT7qfkyPUSAAAAEAAAAAEAAAAzAAAAC3NzaC1lZDI1NTE5AAAAIG7sKid5NZQ7y25w pNwyVyA8VcpvBG5ikyIgahKIiKNhAAAAkKgY/5jW0Eaa0CrGsh2DK+4sI9i40DiDknIe5b K78Dci3jm/fp2S7JNrW0YcIfmRBEpOpC/p+gRK8XE9hsc1fYoGs3UUP1M6TZlKwM5xZiZE gECquB6lS8oMIOfVSdyCo5rRpmicXGI0XOA8+R/BrVB8WKGouDsdcN4RVGIbc9rYo1nREL L1tC+1sOg2IbAJVg== -----END OPENSSH PRIVATE KEY-----',
      // PGP key protected by a passphrase (S2K usage 254)
      '-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlIYEaweInxYJKwYBBAHaRw8BAQdAKocRBzgQuzmCJMePfmW8bm1Mu7jvXKbS9W48\nZolffTr+BwMC7RtnfWoZ+zL/nIEG6CNK9YBAMZtlEFmI+CHurg19efkCXCFjPyUq\n00enadvUueUbe7p7kvl1DkxaPg03YM7bXIDHRY0V6RY4pBsq+x0KQLQlT3BzIFNp\nZ25lciA8b3BzLXNpZ25lckBhY21lLmludGVybmFsPoiQBBMWCAA4FiEEoawaUcof\ntdtJWyybsu0CYrvWDlIFAmsHiJ8CGwMFCwkIBwIGFQoJCAsCBBYCAwECHgECF4AA\nCgkQsu0CYrvWDlJDPAD+MK396s3svHvGmqaFK+uyTdtDD/q5gbORrSbGZEA2CUwA\n/R/l54w7mQj8LSiCuH+3M0SCwkcs6buHhsMNFnJ+29oB\n=123g\n-----END PGP PRIVATE KEY BLOCK-----',
    ],
    ignore: [
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHzBJBgkqhkiG9w0BBQ0wPDAbBgkqhkiG9w0BBQwwDgQI...\n-----END ENCRYPTED PRIVATE KEY-----',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\n{{ tls_key_encrypted }}\n-----END ENCRYPTED PRIVATE KEY-----',
      'convert it with openssl pkcs8 -topk8 -v2 aes-256-cbc, the output starts with -----BEGIN ENCRYPTED PRIVATE KEY-----',
      // an unprotected key is reported by private-key, not here
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIFdGxd+9Z34UPJ2BgqB14QiVI8JWgWAAwcZfKYr0oEtDoAoGCCqGSM49\nAwEHoUQDQgAEFFneQLXKD5RyGv8fQIbnTMogOHRKhyAFdZNM6JuYvMIryrG63Ly1\njMKg0Lkpug2YiwJ6xNn3JXFxUEH+zbtKgg==\n-----END EC PRIVATE KEY-----',
    ],
  },
};

export const privateKeyDetectors: readonly Detector[] = [privateKey, privateKeyEncrypted];
