import type { Detector } from '../src/core/detector.ts';

/**
 * Adyen API keys (web service users): `AQE` + 91 base64 + `==-` + 43 base64 +
 * `=-` + a 16–19 character printable tail, all three parts together form the key.
 * Test and live keys look alike and use different hosts, so no liveness check.
 */
export const adyenApiKey: Detector = {
  id: 'adyen-api-key',
  name: 'Adyen API key',
  issuer: 'adyen',
  keywords: ['AQE'],
  pattern: /(?<![A-Za-z0-9/+])(?<secret>AQE[A-Za-z0-9/+]{91}==-[A-Za-z0-9/+]{43}=-[^\s'"`]{16,19})/,
  entropy: 4.5,
  severity: 'high',
  examples: {
    match: [
      'X-API-Key: AQEqByHIebsxHlLPDyyzugT+YlzzF9t/R5H/pKAsY43j1YzMd553wnZXr46DZrnSmJa3+LU4yaGsTv6Y2h+j/EKA7SSUoh==-YIQJ1jtvOf33SHJjDaGEHQ8+zmO7l4u1qQIi6r2T2ZU=-EZPyPkWkeKr7UGyE',
      "config.apiKey = 'AQE3JzlgKwA+nl5DjFg9hNrOKaImxnw/H6nnMwH1tJEfw9RKPV9vZahPXRepZMytB84Qd8qbrVZ/KAy8l23r1x9+d/fP8B==-IhD3npFrXb9Dh5ZD1kaSufclClMakkxrLYQEx1G0K0N=-Sk(Dop;ZxhZVs]CG4';",
    ],
    ignore: [
      "config.apiKey = 'AQE...';",
      // the middle part is cut off
      'AQEqByHIebsxHlLPDyyzugT+YlzzF9t/R5H/pKAsY43j1YzMd553wnZXr46DZrnSmJa3+LU4yaGsTv6Y2h+j/EKA7SSUoh==-YIQJ1jtvOf33SHJjDaGEHQ8',
      'ADYEN_API_KEY=AQEyhmfxK....LAG84XwzP5pSpVd',
    ],
  },
};

export const adyenDetectors: readonly Detector[] = [adyenApiKey];
