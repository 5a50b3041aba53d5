import type { Detector } from '../src/core/detector.ts';

/**
 * Access tokens: `dt0c01.` + 24-char public id + `.` + 64-char secret, all
 * uppercase alphanumerics. Scopes vary from ingest-only to full environment
 * configuration. No liveness check: the environment URL is not in the token
 * and the token lookup endpoint needs a scope most tokens lack.
 */
export const dynatraceApiToken: Detector = {
  id: 'dynatrace-api-token',
  name: 'Dynatrace access token',
  issuer: 'dynatrace',
  keywords: ['dt0c01.'],
  pattern: /(?<![A-Za-z0-9_.-])(?<secret>dt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64})(?![A-Za-z0-9_-])/,
  validate: (secret) => /\d/.test(secret.slice(7)) && /[A-Z]/.test(secret.slice(7)),
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'oneagent install: DT_API_TOKEN=dt0c01.CNV5WXHDSWJ91GVNAV7PESFC.AYCH928GZPOOGBMUT7RZO22O68JR3SABHXYY80MYY4YMX2MBSOSCIEDLVA9G31UC ./Dynatrace-OneAgent.sh',
      'curl -H "Authorization: Api-Token dt0c01.P816689970XHG5WBKTD57WWE.BWEOI2F7J6ZRNOVO8VBZ4DIE14L1VM6SKUW6EH64BWNSJAJ6PYVW95YRAEFW5HCE" https://abc12345.live.dynatrace.com/api/v2/metrics',
    ],
    ignore: [
      // only the public token id: this is how the UI lists tokens
      'token dt0c01.CNV5WXHDSWJ91GVNAV7PESFC was created by ci-bot',
      'Api-Token dt0c01.XXXXXXXXXXXXXXXXXXXXXXXX.XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX',
      'dt0c01.CNV5WXHDSWJ91GVNAV7PESFC.AYCH928GZPOOGBMUT7RZO22O68JR3SA',
    ],
  },
};

export const dynatraceDetectors: readonly Detector[] = [dynatraceApiToken];
