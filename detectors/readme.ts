import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { basicAuth } from '../src/verification/sensitive.ts';

/** ReadMe API keys: `rdme_` + 70 lowercase alphanumerics. They manage a project's docs and API definitions. */
export const readmeApiKey: Detector = {
  id: 'readme-api-key',
  name: 'ReadMe API key',
  issuer: 'readme',
  keywords: ['rdme_'],
  pattern: /(?<![\w-])(?<secret>rdme_[a-z0-9]{70})(?![\w-])/,
  entropy: 3.8,
  severity: 'medium',
  // `GET /api/v1`: metadata of the key's own project (read-only), Basic with the key as user name.
  verify: httpVerifier({
    hosts: ['dash.readme.com'],
    request: (secret) => ({ url: 'https://dash.readme.com/api/v1', headers: { authorization: basicAuth(secret, '') } }),
    deadStatus: [401],
    facts: (r) => {
      const account = field(r.body, 'subdomain') ?? field(r.body, 'name');
      return account ? { account } : undefined;
    },
    fixtures: {
      live: {
        status: 200,
        body: { name: 'Acme API', subdomain: 'acme', baseUrl: 'https://docs.acme.test', plan: 'business' },
      },
      dead: {
        status: 401,
        body: {
          error: 'APIKEY_NOTFOUND',
          message: "We couldn't find your API key.",
          suggestion: 'Check that the key is correct.',
          help: '',
        },
      },
    },
  }),
  examples: {
    match: [
      'README_API_KEY=rdme_0yhob4saimbc02fo7lwinvf54raikh3wjv9o2xdfbo4j4m1ncvl1ans4987fe5b14rvbnf',
      'rdme openapi upload spec.yaml --key=rdme_j06j124hy1zrwyo2j0nbt1pznaq7xldafz8aauwk2m0y70msx5ypqykc4vi16qxepjasxu',
    ],
    ignore: [
      'README_API_KEY=rdme_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'README_API_KEY=rdme_...',
      'rdme_0yhob4saimbc02fo7lwinvf54raikh3wjv9o2xdfbo4j4m1n',
    ],
  },
};

export const readmeDetectors: readonly Detector[] = [readmeApiKey];
