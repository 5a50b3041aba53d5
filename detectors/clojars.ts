import type { Detector } from '../src/core/detector.ts';

/** Clojars deploy tokens: `CLOJARS_` + 60 lowercase alphanumerics. They publish artifacts; no read-only check. */
export const clojarsDeployToken: Detector = {
  id: 'clojars-deploy-token',
  name: 'Clojars deploy token',
  issuer: 'clojars',
  keywords: ['CLOJARS_'],
  pattern: /(?<![\w-])(?<secret>CLOJARS_[a-z0-9]{60})(?![\w-])/,
  validate: (secret) => /\d/.test(secret.slice(8)) && /[a-z]/.test(secret.slice(8)),
  entropy: 3.8,
  severity: 'critical',
  examples: {
    match: [
      ':deploy-repositories [["clojars" {:username "acme" :password "CLOJARS_mgbu3a6d6oan8k5u8np62agk2bdaagptnrf331j9hds8emf7ep7b5u7l06wz"}]]',
      'CLOJARS_PASSWORD=CLOJARS_zaenyaxwsupr2r9pby78a8a21999tsnvkhgv8y82l0j9vff0gm5be1p1cveb',
    ],
    ignore: [
      'CLOJARS_PASSWORD=${CLOJARS_TOKEN}',
      'CLOJARS_USERNAME=acme',
      'CLOJARS_mgbu3a6d6oan8k5u8np62agk2bdaagptnrf',
    ],
  },
};

export const clojarsDetectors: readonly Detector[] = [clojarsDeployToken];
