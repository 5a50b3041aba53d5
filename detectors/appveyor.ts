import type { Detector } from '../src/core/detector.ts';

/**
 * AppVeyor API keys: user-level `v2.` + 20, or account-level 20 lowercase
 * alphanumerics; prefix-less, so the word AppVeyor must be nearby. A `v2.` key
 * needs the account name in every API path, so there is no liveness check.
 */
export const appveyorApiKey: Detector = {
  id: 'appveyor-api-key',
  name: 'AppVeyor API key',
  issuer: 'appveyor',
  keywords: ['appveyor'],
  pattern:
    /(?<![a-z])appveyor[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>(?:v2\.)?[a-z0-9]{20})(?![\w.-])/i,
  validate: (secret) => /\d/.test(secret.replace(/^v2\./, '')) && /[a-z]/i.test(secret.replace(/^v2\./, '')),
  entropy: 3.3,
  severity: 'critical',
  examples: {
    match: ['APPVEYOR_API_KEY=v2.vs551nlfo26v7i0w0acl', 'appveyor token for release pipeline: afll99pajieml06owsbx'],
    ignore: [
      'APPVEYOR_API_KEY=v2.xxxxxxxxxxxxxxxxxxxx',
      'appveyor build: windowsserver2022image',
      // an appveyor status badge id
      'https://ci.appveyor.com/api/projects/status/sarjlbpi6dfgrd5w/branch/master?svg=true',
    ],
  },
};

export const appveyorDetectors: readonly Detector[] = [appveyorApiKey];
