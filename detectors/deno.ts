import type { Detector } from '../src/core/detector.ts';

/** Deno Deploy personal access tokens: `ddp_` + 36 base62. No documented whoami to check them. */
export const denoDeployAccessToken: Detector = {
  id: 'deno-deploy-access-token',
  name: 'Deno Deploy access token',
  issuer: 'deno',
  keywords: ['ddp_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>ddp_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
  entropy: 3.8,
  severity: 'critical',
  examples: {
    match: [
      'DENO_DEPLOY_TOKEN=ddp_jrO2Ap2Up2u5zXNcEOEeQFYR3KA56AzHq9J1',
      'deployctl deploy --project=shop --token=ddp_OaSmBQHH5w2PRYDbr4If2sW42XOPQ0JjYAxK main.ts',
    ],
    ignore: [
      'DENO_DEPLOY_TOKEN=ddp_<token>',
      'DENO_DEPLOY_TOKEN=ddp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'DENO_DEPLOY_TOKEN=ddp_jrO2Ap2Up2u5zXNc',
    ],
  },
};

export const denoDetectors: readonly Detector[] = [denoDeployAccessToken];
