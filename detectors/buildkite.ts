import type { Detector } from '../src/core/detector.ts';

export const buildkiteApiToken: Detector = {
  id: 'buildkite-api-token',
  name: 'Buildkite API access token',
  issuer: 'buildkite',
  keywords: ['bkua_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>bkua_[a-z0-9]{40})(?![A-Za-z0-9_])/,
  entropy: 3,
  severity: 'critical',
  examples: {
    match: [
      'curl -H "Authorization: Bearer bkua_8pdxwnr4w3ngpe21ih0zjyxmiytl3ssewb5b0b4i" https://api.buildkite.com/v2/access-token',
      'BUILDKITE_API_TOKEN=bkua_vw88ugwvxo5uzn040zmc11f9pu9ak0spxauc0q76',
    ],
    ignore: [
      'BUILDKITE_API_TOKEN=bkua_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'BUILDKITE_API_TOKEN=bkua_8pdxwnr4w3ngpe21ih0zjyxmi',
      // upper case is not a Buildkite token
      'BUILDKITE_API_TOKEN=bkua_vw88ugwvxo5uzn040zmc11f9pu9ak0spxauc0q76'.toUpperCase(),
    ],
  },
};

export const buildkiteDetectors: readonly Detector[] = [buildkiteApiToken];
