import type { Detector } from '../src/core/detector.ts';

/**
 * nuget.org API keys: `oy2` + 43 lowercase alphanumerics. The only endpoint
 * that tests a key is package push, so there is no liveness check.
 */
export const nugetApiKey: Detector = {
  id: 'nuget-api-key',
  name: 'NuGet API key',
  issuer: 'nuget',
  keywords: ['oy2'],
  pattern: /(?<![\w-])(?<secret>oy2[a-z0-9]{43})(?![\w-])/,
  validate: (secret) => /\d/.test(secret.slice(3)) && /[a-z]/.test(secret.slice(3)),
  entropy: 3.8,
  severity: 'critical',
  examples: {
    match: [
      'dotnet nuget push bin/Release/Acme.Client.2.4.1.nupkg --api-key oy2z6k1ltwuj33zeeuo4ncarvpq79dw43ujh4mbkqnambb --source https://api.nuget.org/v3/index.json',
      'NUGET_API_KEY: oy2mks09fopwydp8zqi1ovp4uf4fmx843mo623bnmxk3t5',
    ],
    ignore: [
      'NUGET_API_KEY: oy2xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // uppercase: base64 data that merely starts with oy2
      'data:image/png;base64,oy2Z6K1LTWUJ33ZEEUO4NCARVPQ79DW43UJH4MBKQNAMBB',
      'oy2z6k1ltwuj33zeeuo4ncarvpq79dw43',
    ],
  },
};

export const nugetDetectors: readonly Detector[] = [nugetApiKey];
