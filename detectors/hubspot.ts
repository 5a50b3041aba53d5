import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/** Private app access tokens: `pat-<region>-` + GUID. CRM data and settings within the app's scopes. */
export const hubspotPrivateAppToken: Detector = {
  id: 'hubspot-private-app-token',
  name: 'HubSpot private app access token',
  issuer: 'hubspot',
  keywords: ['pat-na', 'pat-eu', 'pat-ap'],
  pattern:
    /(?<![A-Za-z0-9_-])(?<secret>pat-(?:na|eu|ap)\d-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![A-Za-z0-9_-])/,
  entropy: 3,
  severity: 'high',
  // GET /account-info/v3/details returns the portal the token belongs to.
  verify: httpVerifier({
    hosts: ['api.hubapi.com'],
    request: (secret) => ({
      url: 'https://api.hubapi.com/account-info/v3/details',
      headers: { authorization: secretText`Bearer ${secret}` },
    }),
    facts: (response) => {
      const portal = field(response.body, 'portalId');
      return portal === undefined ? undefined : { account: portal };
    },
    fixtures: {
      live: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: {
          portalId: 24601555,
          accountType: 'STANDARD',
          timeZone: 'Europe/Berlin',
          companyCurrency: 'EUR',
          uiDomain: 'app-eu1.hubspot.com',
          dataHostingLocation: 'eu1',
        },
      },
      dead: {
        status: 401,
        headers: { 'content-type': 'application/json' },
        body: { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' },
      },
    },
  }),
  examples: {
    match: [
      'HUBSPOT_ACCESS_TOKEN=pat-na1-f2ba6b93-e225-4d76-ba5a-c9cdd5172443',
      'curl https://api.hubapi.com/crm/v3/objects/contacts -H "Authorization: Bearer pat-eu1-fd927e42-6126-4596-8d37-6f1596aac20b"',
    ],
    ignore: [
      'HUBSPOT_ACCESS_TOKEN=pat-na1-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
      'HUBSPOT_ACCESS_TOKEN=pat-na1-00000000-0000-0000-0000-000000000000',
      'private app tokens start with pat-na1- or pat-eu1-',
    ],
  },
};

export const hubspotDetectors: readonly Detector[] = [hubspotPrivateAppToken];
