import type { Detector } from '../src/core/detector.ts';

/*
 * dbt Cloud tokens. Accounts live on different hosts (cloud.getdbt.com or a
 * cell such as `<prefix>.us1.dbt.com`) and the token does not say which, so a
 * failed check could not tell a dead token from the wrong host: no liveness check.
 */

/** Service tokens: `dbtc_` + 40–64 base64url. They can trigger jobs that run SQL in the warehouse. */
export const dbtCloudServiceToken: Detector = {
  id: 'dbt-cloud-service-token',
  name: 'dbt Cloud service token',
  issuer: 'dbt-cloud',
  keywords: ['dbtc_'],
  pattern: /(?<![\w-])(?<secret>dbtc_[A-Za-z0-9_-]{40,64})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'DBT_CLOUD_API_TOKEN=dbtc_Ssy6MjyjV-81hxxUsMwoPcZMijDr_5zB_eu3CuwRIHuAcXXOE6iF',
      'curl -H "Authorization: Token dbtc_bjW5QKseVR9S59exbKlMA-vuWzAmUEE-cwMHst7a4y_6yMkaZmR_" https://cloud.getdbt.com/api/v2/accounts/',
    ],
    ignore: [
      'DBT_CLOUD_API_TOKEN=dbtc_test_token',
      'DBT_CLOUD_API_TOKEN=dbtc_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'dbtc_Ssy6MjyjV-81hxxUsMwoPcZMij',
    ],
  },
};

/** Personal access tokens: `dbtu_` + 40–64 base64url; they act as the user. */
export const dbtCloudPersonalToken: Detector = {
  id: 'dbt-cloud-personal-token',
  name: 'dbt Cloud personal access token',
  issuer: 'dbt-cloud',
  keywords: ['dbtu_'],
  pattern: /(?<![\w-])(?<secret>dbtu_[A-Za-z0-9_-]{40,64})(?![\w-])/,
  entropy: 4,
  severity: 'high',
  examples: {
    match: [
      'DBT_CLOUD_TOKEN=dbtu_Ssy6MjyjV-81hxxUsMwoPcZMijDr_5zB_eu3CuwRIHuAcXXOE6iF',
      'my dbt PAT (please revoke): dbtu_bjW5QKseVR9S59exbKlMA-vuWzAmUEE-cwMHst7a4y_6yMkaZmR_',
    ],
    ignore: [
      'DBT_CLOUD_TOKEN=dbtu_<personal-token>',
      'DBT_CLOUD_TOKEN=dbtu_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'dbtu_bjW5QKseVR9S59exbKlMA-vuWz',
    ],
  },
};

export const dbtCloudDetectors: readonly Detector[] = [dbtCloudServiceToken, dbtCloudPersonalToken];
