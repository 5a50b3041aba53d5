import type { Detector } from '../src/core/detector.ts';
import { placeholderReason } from '../src/detection/placeholders.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * `POST /2/users/get_current_account` (an RPC "who am I" with no arguments)
 * answers any valid access token; expired or revoked tokens get 401.
 */
const dropboxCurrentAccount = httpVerifier({
  hosts: ['api.dropboxapi.com'],
  request: (secret) => ({
    method: 'POST',
    url: 'https://api.dropboxapi.com/2/users/get_current_account',
    headers: { authorization: secretText`Bearer ${secret}` },
  }),
  deadStatus: [400, 401],
  facts: (response) => {
    const email = field(response.body, 'email');
    return email === undefined ? undefined : { account: email };
  },
  fixtures: {
    live: {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {
        account_id: 'dbid:AAH4f99T0taONIb-OurWxbNQ6ywGRopQngc',
        email: 'backup-bot@corp.internal',
        name: { display_name: 'Backup bot' },
        disabled: false,
      },
    },
    dead: {
      status: 401,
      headers: { 'content-type': 'application/json' },
      body: { error_summary: 'expired_access_token/', error: { '.tag': 'expired_access_token' } },
    },
  },
});

/** Short-lived access tokens (4 h): `sl.` (or `sl.u.` since 2024) + 130 or more base64url characters. */
export const dropboxShortLivedToken: Detector = {
  id: 'dropbox-short-lived-token',
  name: 'Dropbox short-lived access token',
  issuer: 'dropbox',
  keywords: ['sl.'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>sl\.(?:u\.)?[A-Za-z0-9_-]{130,1400})(?![A-Za-z0-9_-])/,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret.slice(3)) && /[A-Z]/.test(secret),
  entropy: 4.5,
  window: { after: 1500 },
  severity: 'medium',
  verify: dropboxCurrentAccount,
  examples: {
    match: [
      'DROPBOX_ACCESS_TOKEN=sl.u.Zu4z-7BH2-SMXDztVQ_G8b0TQMP3bG5zqQ6ZVrFv-z2dDHlJg4XWkz3if_IcifDc4Xk40uQ5NJ_mT4LrGBYuAmzvqn9hC04fPpY5Gv237CFb9JUjnqe68tzTpHAstFVRH5vyav3h-i5o5IvqfPRXBs',
      'curl -X POST https://api.dropboxapi.com/2/files/list_folder -H "Authorization: Bearer sl.MP3ozVLTE9conyRYZY4LPRwrSx3bX739NQVEsl9ADU5B3HAyVzolkBScjRHaA6dd507jch0YbRr7X8-meeLt5KENVuNJSiMzzmbsEZC7thKE8yma9nM0LYL1NFHOaj-ieNC0s2lV"',
    ],
    ignore: [
      'openssl.cnf and ssl.conf are in /etc',
      'DROPBOX_ACCESS_TOKEN=sl.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'DROPBOX_ACCESS_TOKEN=sl.MP3ozVLTE9conyRYZY4LPRwrSx3bX739NQVEsl9ADU5B3HA',
    ],
  },
};

/**
 * Legacy long-lived tokens (no longer issued since 2021, still valid until
 * revoked): 11 characters + `AAAAAAAAAA` + 43 characters. The fixed run of ten
 * `A`s is the keyword; the shared placeholder filter would reject it as a
 * repeated character, so the random parts are checked here instead.
 */
export const dropboxLongLivedToken: Detector = {
  id: 'dropbox-long-lived-token',
  name: 'Dropbox long-lived access token (legacy)',
  issuer: 'dropbox',
  keywords: ['AAAAAAAAAA'],
  pattern: /(?<![A-Za-z0-9_-])(?<secret>[a-z0-9]{11}AAAAAAAAAA[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/,
  skipPlaceholderFilter: true,
  validate: (secret) => {
    const head = secret.slice(0, 11);
    const tail = secret.slice(21);
    return (
      placeholderReason(head) === undefined &&
      placeholderReason(tail) === undefined &&
      /\d/.test(head + tail) &&
      /[A-Z]/.test(tail) &&
      /[a-z]/.test(tail)
    );
  },
  severity: 'high',
  verify: dropboxCurrentAccount,
  examples: {
    match: [
      'DROPBOX_TOKEN=ffvar7umvwfAAAAAAAAAAs36OAn6QHwkxbk1whpiTn7C3-lcz6rIsCG-Ro0mKefX',
      'dbx = dropbox.Dropbox("ffvar7umvwfAAAAAAAAAAs36OAn6QHwkxbk1whpiTn7C3-lcz6rIsCG-Ro0mKefX")',
    ],
    ignore: [
      'DROPBOX_TOKEN=xxxxxxxxxxxAAAAAAAAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // a base64 blob full of A runs (certificate padding), not a token
      'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'DROPBOX_TOKEN=ffvar7umvwfAAAAAAAAAAs36OAn6QHwkxbk1whpi',
    ],
  },
};

export const dropboxDetectors: readonly Detector[] = [dropboxShortLivedToken, dropboxLongLivedToken];
