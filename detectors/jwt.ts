import type { Detector } from '../src/core/detector.ts';

/**
 * Signed JSON Web Tokens (JWS compact form). Header and payload are decoded
 * offline; nothing is replayed and no issuer JWKS is fetched (a URL taken from
 * the token would let its author choose where we connect).
 *
 * Decisions: `alg: none` tokens are rejected (anyone can mint them, so they
 * prove nothing); `validate` stays pure and does not read the clock, so an
 * expired token is still reported, at the fixed medium severity.
 */

/** Signature lengths (base64url, unpadded) of fixed-size algorithms. */
const SIGNATURE_LENGTHS: Record<string, readonly number[]> = {
  HS256: [43],
  HS384: [64],
  HS512: [86],
  ES256: [86],
  ES256K: [86],
  ES384: [128],
  ES512: [176],
  EdDSA: [86, 152],
  Ed25519: [86],
  Ed448: [152],
};

/** jwt.io's default token and its variants (always `sub: 1234567890`, `name: John Doe`). */
const JWT_IO_SIGNATURES = new Set(['SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c']);

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function validateJwt(token: string): boolean | number {
  const [headerPart, payloadPart, signature] = token.split('.');
  if (headerPart === undefined || payloadPart === undefined || signature === undefined) return false;
  const header = decodeJsonObject(headerPart);
  const payload = decodeJsonObject(payloadPart);
  if (header === undefined || payload === undefined) return false;
  const alg = header.alg;
  if (typeof alg !== 'string' || alg.length === 0 || alg.toLowerCase() === 'none') return false;

  if (JWT_IO_SIGNATURES.has(signature)) return false;
  if (payload.sub === '1234567890' && (payload.name === 'John Doe' || payload.iat === 1516239022)) return false;
  // Supabase anon keys are publishable by design (the service_role key is not).
  if (payload.iss === 'supabase' && payload.role === 'anon') return false;

  const lengths = SIGNATURE_LENGTHS[alg];
  if (lengths !== undefined) return lengths.includes(signature.length);
  // RSA (RS*, PS*): modulus of at least 1024 bits.
  if (/^(?:RS|PS)\d{3}$/.test(alg)) return signature.length >= 171;
  // Unknown algorithm: structure holds, signature size unverifiable.
  return 0.7;
}

export const jwt: Detector = {
  id: 'jwt',
  name: 'JSON Web Token',
  issuer: 'jwt',
  keywords: ['eyJ'],
  // Header and payload are base64url JSON objects, so both start with `eyJ` (`{"`).
  pattern:
    /(?<![A-Za-z0-9_.-])(?<secret>eyJ[A-Za-z0-9_-]{14,2000}\.eyJ[A-Za-z0-9_-]{4,6000}\.[A-Za-z0-9_-]{20,1400})(?![A-Za-z0-9_-])/,
  window: { before: 16, after: 9_500 },
  validate: validateJwt,
  // Many vendor tokens are JWTs; a specific detector that matched the same span wins.
  generic: true,
  severity: 'medium',
  examples: {
    match: [
      'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZy1zeW5jIiwiaXNzIjoiaHR0cHM6Ly9hdXRoLmFjbWUtY29ycC5pbyIsImF1ZCI6ImJpbGxpbmctYXBpIiwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjE3OTg3NjE2MDAsInNjb3BlIjoiaW52b2ljZXM6d3JpdGUifQ.XwLnsHb9n444-ESaQD9HsTTpVnII0JpN8LnJ1VlqetM" https://billing.acme-corp.io/v1/invoices',
      'my session token from prod if you need to repro: eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6Ims3UW0yIn0.eyJzdWIiOiI0ZjFjOWUyYSIsImVtYWlsIjoiZGFuYS5rb3dhbHNraUBhY21lLWNvcnAuaW8iLCJyb2xlcyI6WyJhZG1pbiJdLCJpYXQiOjE3NjczMTIwMDAsImV4cCI6MTc2NzMxNTYwMH0._8T6dS1V58EEJb7hPoIP8PkRTKFJs3CUFv4UwGq-7nIHBYDa0eDtegip0hRxFNNWibUWKktiWeY8FBZwajDGnA',
      // Supabase service_role key: full database access
      'SUPABASE_SERVICE_ROLE_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF3aG52a3hidHpycGxtY2QiLCJyb2xlIjoic2VydmljZV9yb2xlIiwiaWF0IjoxNzY3MjI1NjAwLCJleHAiOjIwODI3NTg0MDB9.E1BatcVeupiqrEICH_ye54LHSzqWuHf-n8EFlxgd1Tg',
    ],
    ignore: [
      // jwt.io default token
      'see jwt.io: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
      // unsigned (alg none) token
      'the bug: we accept eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiIsImlhdCI6MTc2NzIyNTYwMH0. as valid',
      // truncated in a ticket
      'token looks like eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOi...signature',
      // Supabase anon key is meant for browsers
      'NEXT_PUBLIC_SUPABASE_ANON_KEY=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZSIsInJlZiI6InF3aG52a3hidHpycGxtY2QiLCJyb2xlIjoiYW5vbiIsImlhdCI6MTc2NzIyNTYwMCwiZXhwIjoyMDgyNzU4NDAwfQ.RDYux26aAZFsRTGYCJ1EuAMoLeXViLGNqgkZttryJzg',
      // HS256 signature of the wrong length (cut while copying)
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtYmlsbGluZy1zeW5jIiwiaXNzIjoiaHR0cHM6Ly9hdXRoLmFjbWUtY29ycC5pbyJ9.XwLnsHb9n444-ESaQD9HsTTpVn',
      // header is not JSON (closing brace lost)
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCI.eyJzdWIiOiJzdmMtYmlsbGluZy1zeW5jIn0.XwLnsHb9n444-ESaQD9HsTTpVnII0JpN8LnJ1VlqetM',
    ],
  },
};

export const jwtDetectors: readonly Detector[] = [jwt];
