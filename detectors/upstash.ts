import type { Detector } from '../src/core/detector.ts';
import type { Verifier } from '../src/core/verification.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

const REST_URL = 'rest url';

/** `GET https://<db>.upstash.io/ping` runs the read-only Redis PING on the token's own database. */
const pingVerifier = httpVerifier({
  hosts: ['*.upstash.io'],
  request: (secret, ctx) => ({
    url: secretText`https://${ctx.parts[REST_URL] ?? ''}/ping`,
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [401],
  confirm: (response) => field(response.body, 'result') === 'PONG',
  fixtures: {
    live: { status: 200, body: { result: 'PONG' } },
    dead: { status: 401, body: { error: 'WRONGPASS invalid or missing auth token' } },
  },
});

const restPing: Verifier = {
  ...pingVerifier,
  check: (secret, ctx) =>
    ctx.parts[REST_URL] === undefined
      ? Promise.resolve({ liveness: 'not_attempted', reason: 'no Upstash REST URL next to the token' })
      : pingVerifier.check(secret, ctx),
};

/**
 * Upstash Redis REST token (base64url, no fixed prefix), reported next to an Upstash keyword
 * and its database's REST URL (`https://<name>.upstash.io`), which the check needs.
 */
export const upstashRedisRestToken: Detector = {
  id: 'upstash-redis-rest-token',
  name: 'Upstash Redis REST token',
  issuer: 'upstash',
  keywords: ['upstash'],
  pattern: new RegExp(
    `upstash(?::\\s{1,12}|[_.\\s-]{0,2})(?:(?:redis|rest|read|only|kv|api)[_.\\s-]{0,2}){0,3}(?:token|password)s?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?(?<secret>[A-Za-z0-9_-]{40,120}={0,2})(?![\\w=-])`,
    'i',
  ),
  entropy: 4.2,
  companions: [
    { name: REST_URL, pattern: /https:\/\/(?<secret>[a-z0-9][a-z0-9-]{2,62}\.upstash\.io)(?![\w.-])/, window: 400 },
  ],
  severity: 'high',
  verify: restPing,
  examples: {
    match: [
      'UPSTASH_REDIS_REST_URL="https://steady-cobra-41873.upstash.io"\nUPSTASH_REDIS_REST_TOKEN="AXPyASQgxf9Jc52S4EVBgvz0xDmHj5g18Wso2PRM0UesXEMjqHdZUkQDG65VV0wXjIAW="',
      'rate limiter env: UPSTASH_REDIS_REST_TOKEN=AXJXASQg7SfKjNDQNwmnWEpf2ccW2F5zQ9sBY8hgi4rtAUiswcF6VCEksYg1lnvLmxV7= UPSTASH_REDIS_REST_URL=https://eu1-brave-owl-30122.upstash.io',
    ],
    ignore: [
      // a token without its database URL
      'UPSTASH_REDIS_REST_TOKEN="AXPyASQgxf9Jc52S4EVBgvz0xDmHj5g18Wso2PRM0UesXEMjqHdZUkQDG65VV0wXjIAW="',
      'UPSTASH_REDIS_REST_URL="https://steady-cobra-41873.upstash.io"\nUPSTASH_REDIS_REST_TOKEN="${UPSTASH_TOKEN}"',
      'UPSTASH_REDIS_REST_URL="https://steady-cobra-41873.upstash.io"\nUPSTASH_REDIS_REST_TOKEN="********"',
    ],
  },
};

export const upstashDetectors: readonly Detector[] = [upstashRedisRestToken];
