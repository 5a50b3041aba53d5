import type { Detector } from '../src/core/detector.ts';
import { awsStsVerifier } from '../src/verification/aws-sts.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The AWS account that owns an access key id, decoded offline (no API call, so
 * it can be checked against canary accounts before any verification).
 * Base32-decode characters 5–20, take the first 6 bytes big-endian as `x`;
 * account = `(x & 0x7fffffffff80) >> 7`. Ids issued before 2019 (`AKIAI…`,
 * `AKIAJ…`) do not encode the account: `undefined`.
 *
 * @example awsAccountIdFromKeyId('ASIAY34FZKBOKMUTVV7A') // '609629065308'
 */
export function awsAccountIdFromKeyId(keyId: string): string | undefined {
  if (!/^[A-Z]{4}[A-Z2-7]{16}$/.test(keyId)) return undefined;
  const body = keyId.slice(4);
  if (body[0] === 'I' || body[0] === 'J') return undefined;
  let bits = 0n;
  for (const ch of body) bits = (bits << 5n) | BigInt(BASE32.indexOf(ch));
  // 16 chars × 5 bits = 80 bits; the account lives in the first 48.
  const x = bits >> 32n;
  return ((x & 0x7fffffffff80n) >> 7n).toString().padStart(12, '0');
}

/** Decodes standard base64; `undefined` when `value` is not well-formed base64. */
function decodeBase64(value: string): string | undefined {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, 'base64').toString('latin1');
}

/**
 * Access key id + secret access key. The id alone is not a credential (it shows
 * up in CloudTrail excerpts, IAM screenshots and policies), so a 40-char secret
 * must sit within 250 characters. `ASIA` ids also need a session token to be
 * used; they are still reported because the session token is usually pasted too.
 */
export const awsAccessKey: Detector = {
  id: 'aws-access-key',
  name: 'AWS access key',
  issuer: 'aws',
  keywords: ['AKIA', 'ASIA', 'ABIA', 'ACCA'],
  // Not after `Credential=`: presigned S3 URLs and SigV4 headers carry the key id
  // with a signature, never the secret key, so there is nothing to pair it with.
  pattern: /(?<![A-Za-z0-9])(?<!Credential=)(?<secret>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Za-z0-9])/,
  entropy: 3,
  companions: [
    {
      name: 'secret access key',
      // 40 base64 chars that are not a slice of a longer base64 run (JWTs, certificates, hashes in URLs).
      pattern: /(?<![A-Za-z0-9/+])(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/,
      window: 250,
      // Hex (git SHAs) cannot exceed 4 bits/char; random base64 of length 40 is ~5.
      entropy: 4,
    },
  ],
  severity: 'critical',
  examples: {
    match: [
      '[default]\naws_access_key_id = AKIAXMUMGTBIKJNCEDNT\naws_secret_access_key = 7aYWFB7TYMP8Wcw86kdhn49Zv3GoZVGyWLWje2js\nregion = eu-west-1',
      'can someone check why the deploy fails? export AWS_ACCESS_KEY_ID=AKIA5ZAKQE4DYGF2FTDF AWS_SECRET_ACCESS_KEY=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',
      '{"AccessKeyId": "ASIAUERE53NEAV4C66AW", "SecretAccessKey": "GRigialnmK444esnMBuWBJZkE0rkDIMf37PE0cZD", "SessionToken": "IQoJb3JpZ2luX2Vj…"}',
    ],
    ignore: [
      // a presigned URL next to an unrelated 40-character path segment
      'download: https://bucket.s3.amazonaws.com/report.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAXMUMGTBIKJNCEDNT%2F20261126%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=3f2a and https://www.figma.com/file/Q8mZt3LpWk2VxN7bR4cYhD/Checkout-Flow-v2',
      // the key id alone is not usable
      'CloudTrail shows calls from access key AKIAXMUMGTBIKJNCEDNT since Monday, please rotate it',
      // AWS documentation sample pair
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      // a git SHA next to the id is not a secret key
      'rotated AKIA5ZAKQE4DYGF2FTDF in commit 4f9c2a1be0d37e65f18a2c9b7d04e3f1a6b58c27',
      // the secret is part of a longer base64 blob
      'AKIAXMUMGTBIKJNCEDNT cert=MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBaMQswCQYDVQQGEwJJRTESMBAGA1UE',
      'AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX AWS_SECRET_ACCESS_KEY=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',
    ],
  },
  // sts:GetCallerIdentity needs no permission and changes nothing; canaries are filtered before it.
  verify: awsStsVerifier('secret access key'),
};

/**
 * Long-term Amazon Bedrock API keys: `ABSK` + base64 of
 * `BedrockAPIKey-<id>-at-<account id>:<secret>` (service-specific credential of
 * an IAM user named `BedrockAPIKey-<id>`).
 */
export const awsBedrockApiKey: Detector = {
  id: 'aws-bedrock-api-key',
  name: 'Amazon Bedrock API key (long-term)',
  issuer: 'aws',
  // `ABSK` + base64("BedrockAPIKey"): not secret, and keeping it in the redacted form tells what the key is.
  keywords: ['ABSKQmVkcm9ja0FQSUtleS'],
  pattern: /(?<![A-Za-z0-9+/])(?<secret>ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{60,220}={0,2})(?![A-Za-z0-9+/=])/,
  validate: (secret) => {
    const decoded = decodeBase64(secret.slice(4));
    if (decoded === undefined || !decoded.startsWith('BedrockAPIKey-')) return false;
    if (/^BedrockAPIKey-[\w.@+=,-]{1,64}-at-\d{12}:[A-Za-z0-9+/]{20,}={0,2}$/.test(decoded)) return 1;
    // Printable but not the observed layout: still a Bedrock key, less sure it is complete.
    return /^[\x21-\x7e]+$/.test(decoded) ? 0.7 : false;
  },
  severity: 'high',
  examples: {
    match: [
      'AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS01Z3RoLWF0LTE5ODA4MzUxNjE0MDpQUjJqNDEwdXVkK2Jrdkt2OCtiaEw3OUtxTWpySUZmamRjMFJqUnY1N3dKcE9sWFNJdHZIc01QVkpNbz0=',
      'the bedrock key for the hackathon is ABSKQmVkcm9ja0FQSUtleS1tY2NkLWF0LTY0NjcxMTIwNzc1MTpUTFA5R3h6c2FJN2xRSVpsdFg1QXhCazdDbHN4U3BWaVEvRDdmVDFKeTlNSTNReFlkQi9kOXBQVDZ0TT0= (expires Friday)',
    ],
    ignore: [
      'AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS...',
      // truncated: not valid base64 any more
      'ABSKQmVkcm9ja0FQSUtleS01Z3RoLWF0LTE5ODA4MzUxNjE0MDpQUjJqNDEwdXVkK2Jrdkt2OCtiaEw3OUtxTWpySUZmamRjMFJqUnY1N3dKc',
      // decodes to something else than a Bedrock key
      'ABSKQmVkcm9ja0FQSUtleS0pnFtAQO5H6usPnUNiMP7zQS+JZa4LbVXy8i7+/QD9H+46ESOnrNEwsbWyBwVJJV1SxTMFLRGVKs59hNjYwFyw3qYZb9jxXxCmwY5LW0g9Gw==',
    ],
  },
};

/**
 * Short-term Amazon Bedrock API keys (≤ 12 h): `bedrock-api-key-` + base64 of a
 * SigV4 presigned `bedrock.amazonaws.com/?Action=CallWithBearerToken&…` URL,
 * which embeds an `ASIA` key id and a session token.
 */
export const awsBedrockShortTermApiKey: Detector = {
  id: 'aws-bedrock-short-term-api-key',
  name: 'Amazon Bedrock API key (short-term)',
  issuer: 'aws',
  // base64("bedrock.amazonaws.com"): the fixed, non-secret start of every such key.
  keywords: ['bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t'],
  pattern:
    /(?<![A-Za-z0-9_-])(?<secret>bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{100,8000}={0,2})(?![A-Za-z0-9+/=])/,
  // The session token makes these 1–4 KB long.
  window: { after: 8200 },
  validate: (secret) => {
    const decoded = decodeBase64(secret.slice('bedrock-api-key-'.length));
    if (decoded === undefined || !decoded.startsWith('bedrock.amazonaws.com/?')) return false;
    if (!decoded.includes('X-Amz-Credential=')) return false;
    // Without the signature the pasted key was cut short.
    return /X-Amz-Signature=[0-9a-f]{64}/.test(decoded) ? 1 : 0.5;
  },
  severity: 'medium',
  examples: {
    match: [
      'export AWS_BEARER_TOKEN_BEDROCK=bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZYLUFtei1BbGdvcml0aG09QVdTNC1ITUFDLVNIQTI1NiZYLUFtei1DcmVkZW50aWFsPUFTSUFVRVJFNTNORUFWNEM2NkFXJTJGMjAyNjAxMTQlMkZ1cy1lYXN0LTElMkZiZWRyb2NrJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjAxMTRUMDkzMDEyWiZYLUFtei1FeHBpcmVzPTQzMjAwJlgtQW16LVNlY3VyaXR5LVRva2VuPUlRb0piM0pwWjJsdVgyVmpFdGp1NjdJJTJGMVZMMkZLQWpBZnVFbDc3VDBYJTJCTnp4VkxKb0plZERFY3paREUxcHRZMk9BblFWSkgzNG1wOXFMTzVoRTF6VDNTWWR4Z2NLM041QU80MyUyQmFtTmRqbkFWQmNsMTRmQzdIemlxRHkyQW8ydTBYc0Y3WFpGdzRZJTJCWG9zJTJGMFFESGljSG5mbjA3UyUyRmQ0V0VQOFhuaFN0NlM3Vk0zWm9FNGVxNDBqZ2FQdWNDRzc4SUZjZmglMkJKaXdLWWhlZjdSWm9MTXdWZHFBT1BldGpyTSUyRkd0Wmx2YXBPc2puOWxoTk4lMkZCdmg4OU5OQ0NwRlpza1R4Rkt5ZG92VDdQZFlEdlVLJTJCYWdZVGh3WWI0QyUyRkE5ekN5TWlDajN2M1JBU2lYWWVSVSUyRjdRJTNEJTNEJlgtQW16LVNpZ25hdHVyZT0yNDEzOTk5OTlhMTU1OTE5NDlhYWY4ODJhMmQzZGM1MGU5YjU1NGY4YWNjN2ZhNTIzZTkzNDg2ODY5NTYyM2VhJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCZWZXJzaW9uPTE=',
      // cut after the session token: still worth a (lower-confidence) finding
      'key from the console: bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZYLUFtei1BbGdvcml0aG09QVdTNC1ITUFDLVNIQTI1NiZYLUFtei1DcmVkZW50aWFsPUFTSUFVRVJFNTNORUFWNEM2NkFXJTJGMjAyNjAxMTQlMkZ1cy1lYXN0LTElMkZiZWRyb2NrJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNjAxMTRUMDkzMDEyWiZYLUFtei1FeHBpcmVzPTQzMjAwJlgtQW16LVNlY3VyaXR5LVRva2VuPUlRb0piM0pwWjJsdVgyVmpFdGp1NjdJJTJGMVZMMkZLQWpBZnVFbDc3VDBYJTJCTnp4VkxKb0plZERFY3paREUxcHRZMk9BblFWSkgzNG1wOXFMTzVoRTF6VDNTWWR4Z2NLM041QU80MyUy',
    ],
    ignore: [
      'let myApiKey = "bedrock-api-key-YmVkcm9jay ... (redacted for brevity) .... b249MQ=="',
      'AWS_BEARER_TOKEN_BEDROCK=bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t...',
      // base64 that does not decode to a presigned Bedrock URL
      'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tIGlzIHRoZSBob3N0IG9mIHRoZSBCZWRyb2NrIGNvbnRyb2wgcGxhbmUgaW4gZXZlcnkgcmVnaW9uLCBzZWUgdGhlIGRvY3M=',
    ],
  },
};

export const awsDetectors: readonly Detector[] = [awsAccessKey, awsBedrockApiKey, awsBedrockShortTermApiKey];
