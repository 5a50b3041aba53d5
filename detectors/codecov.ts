import type { Detector } from '../src/core/detector.ts';

/**
 * Codecov upload tokens (repository or global): UUIDs next to the word Codecov.
 * They only upload coverage reports, but a global token covers every repository.
 */
export const codecovToken: Detector = {
  id: 'codecov-token',
  name: 'Codecov upload token',
  issuer: 'codecov',
  keywords: ['codecov'],
  pattern:
    /(?<![a-z])codecov[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])/i,
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'CODECOV_TOKEN=1d8bd06f-6ac3-4d06-8de9-6c368d9511fb',
      'codecov upload token for monorepo: 49513dbe-1992-4d78-90e2-dc1c9cf24b41',
    ],
    ignore: [
      'CODECOV_TOKEN=${{ secrets.CODECOV_TOKEN }}',
      'CODECOV_TOKEN=00000000-0000-0000-0000-000000000000',
      // a request id with no Codecov context
      'request 1d8bd06f-6ac3-4d06-8de9-6c368d9511fb failed',
    ],
  },
};

export const codecovDetectors: readonly Detector[] = [codecovToken];
