import type { Detector } from '../src/core/detector.ts';
import { httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';
import { inRegions } from '../src/verification/in-regions.ts';

/**
 * REST API keys: 20 characters (user tokens start `u+`), sent as
 * `Authorization: Token token=<key>`. No prefix: only after a PagerDuty name
 * or that header. Account keys can read and change every service, schedule
 * and incident.
 */
export const pagerdutyApiKey: Detector = {
  id: 'pagerduty-api-key',
  name: 'PagerDuty REST API key',
  issuer: 'pagerduty',
  keywords: ['pagerduty', 'token token='],
  pattern:
    /(?:\bpagerduty[\w. -]{0,20}?(?:token|key)[\s"'`]{0,3}[=:][\s"'`]{0,3}|\btoken token=["']?)(?<secret>[A-Za-z0-9_+-]{20})(?![A-Za-z0-9_+-])/i,
  validate: (secret) => /\d/.test(secret) && /[A-Za-z]/.test(secret),
  entropy: 3.5,
  severity: 'high',
  // GET /abilities lists the account's abilities: any valid key may call it (user-level /users/me is not for account keys).
  verify: inRegions(
    ['api.pagerduty.com', 'api.eu.pagerduty.com'].map((host) =>
      httpVerifier({
        hosts: [host],
        request: (secret) => ({
          url: `https://${host}/abilities`,
          headers: {
            authorization: secretText`Token token=${secret}`,
            accept: 'application/vnd.pagerduty+json;version=2',
          },
        }),
        deadStatus: [401],
        fixtures: {
          live: {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: { abilities: ['sso', 'teams', 'read_only_users', 'service_support_hours'] },
          },
          dead: {
            status: 401,
            headers: { 'content-type': 'application/json' },
            body: { error: { message: 'Authentication failed', code: 2006 } },
          },
        },
      }),
    ),
  ),
  examples: {
    match: [
      'PAGERDUTY_TOKEN=iTgL_T_WkvrWFBrncjc0 terraform plan -target=module.oncall',
      'curl -H "Authorization: Token token=u+IlyLv2n2aTBtm-364x" -H "Accept: application/vnd.pagerduty+json;version=2" https://api.pagerduty.com/incidents',
    ],
    ignore: [
      'PAGERDUTY_TOKEN=<your-pagerduty-token>',
      'Authorization: Token token=y_NbAkKc66ryYTWUXYEu_EXAMPLE',
      // 32 hex: a CallRail-style token, not PagerDuty
      'Authorization: Token token=97dd760ac81abc9de4b84283b7e49866',
    ],
  },
};

/**
 * Events API v2 integration (routing) keys: 32 characters, next to a PagerDuty
 * name. They can only open and resolve alerts on one service; any check would
 * trigger an incident, so there is none.
 */
export const pagerdutyIntegrationKey: Detector = {
  id: 'pagerduty-integration-key',
  name: 'PagerDuty integration (routing) key',
  issuer: 'pagerduty',
  keywords: ['pagerduty'],
  pattern:
    /\bpagerduty[\w. -]{0,20}?(?:integration|routing|service|events?)[ _.-]{0,3}key[\s"'`]{0,3}[=:][\s"'`]{0,3}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])/i,
  validate: (secret) => /\d/.test(secret) && /[A-Za-z]/.test(secret),
  entropy: 3,
  severity: 'medium',
  examples: {
    match: [
      'alertmanager receiver: pagerduty_configs: - routing_key: see below\nPAGERDUTY_ROUTING_KEY=0a5d2aa648cdd92bbc8468c79596f25a',
      'grafana contact point "pagerduty integration key": R02Ep3CkvL8pNjQ8yQ7tXbD1m5FzKs0W',
    ],
    ignore: [
      'PAGERDUTY_ROUTING_KEY=${PD_KEY}',
      'PAGERDUTY_ROUTING_KEY=00000000000000000000000000000000',
      'pagerduty routing key is stored in vault at secret/oncall/pd',
    ],
  },
};

export const pagerdutyDetectors: readonly Detector[] = [pagerdutyApiKey, pagerdutyIntegrationKey];
