import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import tls from 'node:tls';

/**
 * A throwaway TLS identity for 127.0.0.1, made at run time: the demo's
 * stand-in for Microsoft's login service must speak https (msal-node refuses
 * an http authority), and Node has no API that creates certificates. So the
 * few DER structures of a self-signed X.509 v3 certificate (RFC 5280) are
 * written out here: ECDSA P-256 key, SHA-256 signature, `CA:TRUE` (it is its
 * own trust anchor) and a subjectAltName for 127.0.0.1 and localhost.
 */
export interface SelfSignedCertificate {
  /** PEM certificate, to serve and to trust. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
}

// ---- DER: tag, length, content ----

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, item: Buffer) => tlv(0xa0 + n, item);
const octetString = (content: Buffer) => tlv(0x04, content);
const bitString = (content: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const bool = (value: boolean) => tlv(0x01, Buffer.from([value ? 0xff : 0]));

/** A DER INTEGER holding the unsigned big-endian `bytes`. */
export function derInteger(bytes: Buffer): Buffer {
  // DER wants the shortest form: no leading zero byte unless the next byte's top bit is set (a random serial
  // starting with 0x00 was rejected by OpenSSL as "illegal padding", one certificate in 128)...
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && !(bytes[start + 1]! & 0x80)) start++;
  const minimal = bytes.subarray(start);
  // ...and it is signed: a leading 1 bit needs a zero byte in front.
  return tlv(0x02, minimal[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), minimal]) : minimal);
}

function oid(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const out = [first! * 40 + second!];
  for (const arc of rest) {
    const chunk = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function utcTime(date: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const text = `${p(date.getUTCFullYear() % 100)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

const ECDSA_WITH_SHA256 = sequence(oid('1.2.840.10045.4.3.2'));

function name(commonName: string): Buffer {
  return sequence(set(sequence(oid('2.5.4.3'), utf8(commonName))));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [bool(true)] : []), octetString(value));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Creates a certificate for `127.0.0.1` and `localhost`, valid from an hour
 * ago for `days` days.
 *
 * @example const { cert, key } = createSelfSignedCertificate('leakwatch demo');
 */
export function createSelfSignedCertificate(commonName: string, days = 7): SelfSignedCertificate {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const now = Date.now();
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const subjectAltName = sequence(
    tlv(0x87, Buffer.from([127, 0, 0, 1])), // iPAddress
    tlv(0x82, Buffer.from('localhost', 'ascii')), // dNSName
  );
  const tbs = sequence(
    explicit(0, derInteger(Buffer.from([2]))), // v3
    derInteger(serial),
    ECDSA_WITH_SHA256,
    name(commonName),
    sequence(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + days * 86_400_000))),
    name(commonName),
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(
      3,
      sequence(
        extension('2.5.29.19', true, sequence(bool(true))), // basicConstraints CA:TRUE
        extension('2.5.29.17', false, subjectAltName),
      ),
    ),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, ECDSA_WITH_SHA256, bitString(signature));
  const cert = pem('CERTIFICATE', der);
  // Parsing it back is a cheap self-check that the structure above is a valid certificate.
  const parsed = new X509Certificate(cert);
  if (!parsed.checkIP('127.0.0.1') || !parsed.verify(publicKey)) {
    throw new Error('the generated certificate does not verify');
  }
  return { cert, key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/**
 * Makes this process's TLS clients (global `fetch` included) trust `cert` in
 * addition to the usual roots, until the returned function restores the
 * previous list. Undefined when this Node has no `tls.setDefaultCACertificates`
 * (added in Node 22.19 / 24.5).
 */
export function trustInThisProcess(cert: string): (() => void) | undefined {
  if (typeof tls.setDefaultCACertificates !== 'function') return undefined;
  const previous = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...previous, cert]);
  return () => tls.setDefaultCACertificates(previous);
}
