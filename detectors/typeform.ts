import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Personal access tokens: `tfp_` + 59 characters; read and change forms and responses. */
export const typeformPersonalAccessToken: Detector = {
  id: 'typeform-personal-access-token',
  name: 'Typeform personal access token',
  issuer: 'typeform',
  keywords: ['tfp_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>tfp_[A-Za-z0-9_.=-]{59})(?![A-Za-z0-9_.=-])/,
  entropy: 4,
  severity: 'high',
  // GET /me returns the token's account.
  verify: httpVerifier({
    hosts: ['api.typeform.com'],
    request: (secret) => ({
      url: 'https://api.typeform.com/me',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    facts: (response) => {
      const email = field(response.body, 'email');
      return email === undefined ? undefined : { account: email };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: { alias: 'Acme Forms', email: 'forms@corp.internal', language: 'en', user_id: '01HBQ7B3K8Z0P9X2' },
      },
      dead: {
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: {
          code: 'AUTHENTICATION_FAILED',
          description: 'Authentication credentials not found on the Request Headers',
        },
      },
    },
  }),
  examples: {
    match: [
      'TYPEFORM_TOKEN=tfp_JFrCru8YDbMp2dcug1bmHbdpcTFQnucUrxAGDQBgTThR_WYqroBht23GPH5',
      'curl https://api.typeform.com/forms -H "Authorization: Bearer tfp_kerOGgrvBULACRbxm6LXWxF8tv7UszfCUGupJJoSbdDp_CAnCm3oI3XtC6o"',
    ],
    ignore: [
      'TYPEFORM_TOKEN=tfp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'TYPEFORM_TOKEN=tfp_JFrCru8YDbMp2dcug1bmHbdpcTFQ',
      'personal tokens start with tfp_ and are shown once',
    ],
  },
};

export const typeformDetectors: readonly Detector[] = [typeformPersonalAccessToken];
