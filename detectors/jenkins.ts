import type { Detector } from '../src/core/detector.ts';

/**
 * Jenkins API tokens: `11` + 32 hex (older tokens 32 hex), prefix-less, so the
 * word Jenkins must be nearby. Checking one needs the user name and the
 * server (`GET {jenkins}/me/api/json` with Basic auth), which a message rarely
 * gives together, so there is no liveness check.
 */
export const jenkinsApiToken: Detector = {
  id: 'jenkins-api-token',
  name: 'Jenkins API token',
  issuer: 'jenkins',
  keywords: ['jenkins'],
  pattern:
    /(?<![a-z])jenkins[\w.-]{0,24}[\s'"`:=>,{()]{1,4}(?:[a-z_]{2,12}[ \t:="']{1,3}){0,4}[\s'"`:=>,{()]{0,3}(?<secret>(?:11)?[a-f0-9]{32})(?![\w-])/i,
  entropy: 3,
  severity: 'critical',
  examples: {
    match: [
      'JENKINS_API_TOKEN=11af1ae7a02a5fff2701d5645049194693',
      'JENKINS_USER=deploy JENKINS_TOKEN=11e9fc92927fe4fe951b2d6022d0db659e ./trigger-build.sh',
      'jenkins legacy user token: cd89edd5378378da45263566d40b67e4',
    ],
    ignore: [
      'JENKINS_API_TOKEN=00000000000000000000000000000000',
      // a 40-hex git SHA in a Jenkins build message
      'jenkins build #4211 at commit 3b18e512dba79e4c8300dd08aeb37f8e728b8dad',
      'JENKINS_API_TOKEN=${JENKINS_TOKEN}',
    ],
  },
};

export const jenkinsDetectors: readonly Detector[] = [jenkinsApiToken];
