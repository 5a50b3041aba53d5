import type { Detector } from '../src/core/detector.ts';

/** Coveralls repo tokens: 32–40 alphanumerics next to the word Coveralls. They only post coverage. */
export const coverallsRepoToken: Detector = {
  id: 'coveralls-repo-token',
  name: 'Coveralls repo token',
  issuer: 'coveralls',
  keywords: ['coveralls'],
  pattern:
    /(?<![a-z])coveralls[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>[A-Za-z0-9]{32,40})(?![\w-])/i,
  validate: (secret) => /\d/.test(secret) && /[a-z]/.test(secret) && /[A-Z]/.test(secret),
  entropy: 3.8,
  severity: 'low',
  examples: {
    match: [
      'COVERALLS_REPO_TOKEN=KxFfsuqTwmRNh47CBLuten8UMvjKUySZ',
      '.coveralls.yml:\nrepo_token: cJyjBBDfvml4OQYokS2GGpFTB0ptm2Vl',
    ],
    ignore: [
      'COVERALLS_REPO_TOKEN=${{ secrets.COVERALLS_REPO_TOKEN }}',
      'COVERALLS_REPO_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      // a commit SHA in a Coveralls build URL
      'coveralls build for 3b18e512dba79e4c8300dd08aeb37f8e728b8dad dropped to 81%',
    ],
  },
};

export const coverallsDetectors: readonly Detector[] = [coverallsRepoToken];
