import type { Detector } from '../src/core/detector.ts';

export const dockerHubPat: Detector = {
  id: 'docker-hub-pat',
  name: 'Docker Hub personal access token',
  issuer: 'docker',
  keywords: ['dckr_pat_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>dckr_pat_[\w-]{27})(?![\w-])/,
  entropy: 3,
  severity: 'critical',
  // No liveness check: the only one is a login (`POST hub.docker.com/v2/auth/token`)
  // that needs the Docker ID, which is not captured (tokens.md #28).
  examples: {
    match: [
      'echo dckr_pat_cjqr-38GXwj95TkSuaOq3RibV0G | docker login -u acmebuild --password-stdin',
      'DOCKERHUB_TOKEN=dckr_pat_VFpfN0esO8vQUVDuv7FgImKRd-M',
    ],
    ignore: [
      'DOCKERHUB_TOKEN=dckr_pat_xxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'DOCKERHUB_TOKEN=dckr_pat_cjqr-38GXwj95TkS',
      'DOCKERHUB_TOKEN=dckr_pat_VFpfN0esO8vQUVDuv7FgImKRd-MZq',
    ],
  },
};

export const dockerHubOrgAccessToken: Detector = {
  id: 'docker-hub-org-access-token',
  name: 'Docker Hub organization access token',
  issuer: 'docker',
  keywords: ['dckr_oat_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>dckr_oat_[\w-]{32})(?![\w-])/,
  entropy: 3,
  severity: 'critical',
  // No liveness check: the only one is a login (`POST hub.docker.com/v2/auth/token`)
  // that needs the organization name, which is not captured (tokens.md #28).
  examples: {
    match: [
      'docker login -u acme -p dckr_oat_wOYPi2oMjMT8Ca7U0AWLvwt-sSaf-v5B',
      '{"auths":{"https://index.docker.io/v1/":{"username":"acme","password":"dckr_oat_wOYPi2oMjMT8Ca7U0AWLvwt-sSaf-v5B"}}}',
    ],
    ignore: [
      'docker login -u acme -p dckr_oat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'docker login -u acme -p dckr_oat_wOYPi2oMjMT8Ca7U0AWLv',
      'docker login -u acme -p dckr_oat_${ORG_TOKEN}',
    ],
  },
};

export const dockerDetectors: readonly Detector[] = [dockerHubPat, dockerHubOrgAccessToken];
