import type { Detector } from '../src/core/detector.ts';
import { shannonEntropy } from '../src/detection/entropy.ts';
import { placeholderReason } from '../src/detection/placeholders.ts';

/**
 * App-only bearer tokens for the X (Twitter) API: 21 `A`s, then a
 * percent-encoded body that itself contains runs of `A`. The shared placeholder
 * filter would reject those runs, so the body is checked here with the runs
 * removed.
 */
export const twitterBearerToken: Detector = {
  id: 'twitter-bearer-token',
  name: 'X (Twitter) app bearer token',
  issuer: 'twitter',
  keywords: ['AAAAAAAAAAAAAAAAAAAAA'],
  pattern: /(?<![A-Za-z0-9%])(?<secret>AAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{50,140})(?![A-Za-z0-9%])/,
  skipPlaceholderFilter: true,
  validate: (secret) => {
    const body = secret.replace(/^A+/, '');
    const withoutRuns = body.replace(/A{4,}/g, '');
    return (
      placeholderReason(withoutRuns) === undefined &&
      /\d/.test(body) &&
      /[a-z]/.test(body) &&
      shannonEntropy(withoutRuns) >= 4
    );
  },
  severity: 'high',
  examples: {
    match: [
      'TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAuxFnuvAAAAAAAeooq4d%2BQ3WpzzpCmK%2FHiffnHeSohVm%3DscMvG8KyGf9fQX9WdQODsmsHFQcTftc4M4G7vemYQiWXTi65W0',
      'curl "https://api.x.com/2/tweets/search/recent?query=acme" -H "Authorization: Bearer AAAAAAAAAAAAAAAAAAAAA5EPPcYHAAAAAAZJ3ga4Y9%3DhEfWheBAdCC2AMawUAgW3YwbAtUg3GCgB8aPZuuUeGU6sPLXwUd1"',
    ],
    ignore: [
      'TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // base64 padding blob, no body
      'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAuxFnuvAAAAAAAeooq4d%2BQ3',
    ],
  },
};

/** API key secrets (consumer secrets): 50 alphanumerics next to a Twitter/X name. */
export const twitterApiSecret: Detector = {
  id: 'twitter-api-secret',
  name: 'X (Twitter) API key secret',
  issuer: 'twitter',
  keywords: ['twitter'],
  pattern:
    /\btwitter[\w. -]{0,20}?(?:consumer|api)[ _.-]{0,3}(?:key[ _.-]{0,3})?secret[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{50})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'TWITTER_API_KEY=Hs7dK2mP9qR4tW8xZ3vB6nYq1\nTWITTER_API_SECRET=zLuRcoetbG4bTb3wChdSSYW3mpmvVj49pbE6rtCZeZWEJHzn5H',
      'twitter_consumer_secret: "zLuRcoetbG4bTb3wChdSSYW3mpmvVj49pbE6rtCZeZWEJHzn5H"',
    ],
    ignore: [
      'TWITTER_API_SECRET=<api key secret>',
      'TWITTER_API_SECRET=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'twitter api secret goes in the vault, not here',
    ],
  },
};

/** User access token secrets: 45 alphanumerics next to a Twitter/X name; post as the account with the access token. */
export const twitterAccessTokenSecret: Detector = {
  id: 'twitter-access-token-secret',
  name: 'X (Twitter) access token secret',
  issuer: 'twitter',
  keywords: ['twitter'],
  pattern:
    /\btwitter[\w. -]{0,20}?access[ _.-]{0,3}(?:token[ _.-]{0,3})?secret[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{45})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'TWITTER_ACCESS_TOKEN=1466281750319427585-Xk2pQ8rT4vZ9wB3nM6yL1aHs7dK2mP\nTWITTER_ACCESS_TOKEN_SECRET=eKfvkxt4M2evAgUAL91FzRyMDCJxpmIUM7dxnc0NdPeTz',
      'twitter.access_secret = "eKfvkxt4M2evAgUAL91FzRyMDCJxpmIUM7dxnc0NdPeTz"',
    ],
    ignore: [
      'TWITTER_ACCESS_TOKEN_SECRET=${TWITTER_ACCESS_TOKEN_SECRET}',
      'TWITTER_ACCESS_TOKEN_SECRET=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'twitter access secret was rotated after the incident',
    ],
  },
};

export const twitterDetectors: readonly Detector[] = [twitterBearerToken, twitterApiSecret, twitterAccessTokenSecret];
