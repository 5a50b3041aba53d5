import type { Detector } from '../src/core/detector.ts';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * MongoDB Atlas programmatic API key: 8-letter public key + UUID private key, only
 * recognisable by their labels. Atlas authenticates them with HTTP Digest (a challenge round
 * trip the verifier framework does not do), so there is no liveness check.
 */
export const mongodbAtlasApiKey: Detector = {
  id: 'mongodb-atlas-api-key',
  name: 'MongoDB Atlas programmatic API key',
  issuer: 'mongodb',
  keywords: ['atlas', 'mcli', 'mongocli'],
  pattern: new RegExp(
    `(?:atlas|mcli|mongocli)(?::\\s{1,12}|[_.\\s-]{0,2})(?:api[_.\\s-]{0,2})?private[_.\\s-]{0,2}(?:api[_.\\s-]{0,2})?keys?["']?(?:\\s{0,3}[:=]|\\s{1,3}is|\\s)\\s{0,3}["']?(?<secret>${UUID})(?![\\w-])`,
    'i',
  ),
  entropy: 3,
  companions: [
    {
      name: 'public key',
      pattern:
        /public[_.\s-]{0,2}(?:api[_.\s-]{0,2})?keys?["']?(?:\s{0,3}[:=]|\s)\s{0,3}["']?(?<secret>[a-z]{8})(?![\w-])/i,
      window: 300,
      entropy: 2.4,
    },
  ],
  severity: 'critical',
  examples: {
    match: [
      'MONGODB_ATLAS_PUBLIC_KEY=dvsowjeu\nMONGODB_ATLAS_PRIVATE_KEY=ea5ac071-9aa7-1071-7dfb-694b28c5c6af',
      'export MCLI_PUBLIC_API_KEY=ycgrqiwd MCLI_PRIVATE_API_KEY=1a47ec5a-6efd-b83c-3b97-03991ed142ff && atlas clusters list',
    ],
    ignore: [
      // the project id is not a key, and there is no public key
      'MONGODB_ATLAS_PROJECT_ID=5f3c9a2e1b7d4c0a8e6f1234\nMONGODB_ATLAS_PRIVATE_KEY=${ATLAS_PRIVATE_KEY}',
      'MONGODB_ATLAS_PRIVATE_KEY=ea5ac071-9aa7-1071-7dfb-694b28c5c6af',
      'MONGODB_ATLAS_PUBLIC_KEY=dvsowjeu\nMONGODB_ATLAS_PRIVATE_KEY=00000000-0000-0000-0000-000000000000',
    ],
  },
};

export const mongodbAtlasServiceAccountSecret: Detector = {
  id: 'mongodb-atlas-service-account-secret',
  name: 'MongoDB Atlas service account client secret',
  issuer: 'mongodb',
  keywords: ['mdb_sa_sk_'],
  pattern: /(?<![A-Za-z0-9_])(?<secret>mdb_sa_sk_[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])/,
  entropy: 3.8,
  // Checking it is an OAuth client-credentials exchange: not attempted.
  severity: 'critical',
  examples: {
    match: [
      'MDB_MCP_API_CLIENT_ID=mdb_sa_id_6a1f0c3e9b2d4e7a8c5f1d3b\nMDB_MCP_API_CLIENT_SECRET=mdb_sa_sk_4bDOcD9Bu27WQl2wu8IJder3hJFNSi-8BeRoUTJd',
      'atlas service account secret (shown once!): mdb_sa_sk_rVPuq29darCzxv2TsF_Vrm7aT_O4rOobH-_-pmnC',
    ],
    ignore: [
      'atlas api serviceAccounts getServiceAccount --clientId mdb_sa_id_6a1f0c3e9b2d4e7a8c5f1d3b',
      'MDB_MCP_API_CLIENT_SECRET=mdb_sa_sk_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
      'MDB_MCP_API_CLIENT_SECRET=mdb_sa_sk_<secret>',
    ],
  },
};

export const mongodbDetectors: readonly Detector[] = [mongodbAtlasApiKey, mongodbAtlasServiceAccountSecret];
