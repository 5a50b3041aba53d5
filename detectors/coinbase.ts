import type { Detector } from '../src/core/detector.ts';

/**
 * Coinbase Developer Platform (CDP) API keys: the key name
 * `organizations/<uuid>/apiKeys/<uuid>` plus its private key (an EC PEM for
 * ECDSA keys, or a base64 Ed25519 `privateKey`). The name alone is an
 * identifier; the pair signs trading and transfer requests, so the private key is required.
 * Checking it means signing a JWT for a request: not done here.
 */
export const coinbaseCdpApiKey: Detector = {
  id: 'coinbase-cdp-api-key',
  name: 'Coinbase Developer Platform API key',
  issuer: 'coinbase',
  keywords: ['organizations/'],
  pattern:
    /(?<![\w/-])(?<secret>organizations\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/apiKeys\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])/,
  companions: [
    {
      name: 'privateKey',
      pattern:
        /(?<secret>-----BEGIN EC PRIVATE KEY-----[A-Za-z0-9+/=\s\\]{100,300}?-----END EC PRIVATE KEY-----|(?<=privateKey"\s{0,3}:\s{0,3}")[A-Za-z0-9+/]{86}==)/,
      window: 600,
    },
  ],
  window: { before: 640, after: 640 },
  severity: 'high',
  examples: {
    match: [
      '{"name": "organizations/42715750-f40a-4b00-8c48-42b33d6e448a/apiKeys/56fe586e-b7db-4f00-9675-b58955a9ca3e", "privateKey": "-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEICUxI7yvZryniKke8k4gCoGAhsSWD2viLltoitM37+N3oAoGCCqGSM49\\nAwEHoUQDQgAECFAetfaF882UAEOd7XS33ucZg80SpWujAmgVviwGJ3K/1Q+RQpas\\nfadvG1qvxM2Op/RxXQpBSWZEoe+WQv/tFg==\\n-----END EC PRIVATE KEY-----\\n"}',
      'cdp_api_key.json for the treasury bot: {"id": "organizations/016c1b68-d1e6-4c62-8e0c-ad74c1508a8b/apiKeys/3657f14d-b1f5-43f4-9907-4740f860cbd0", "privateKey": "aMUGMmzDrrF6ObKi3i1zCLR/T92e38C50NI/a919P0TsGfRDl2fG+lEI615TtzuBRUlnfjHm0hN1F68GzYFhtQ=="}',
    ],
    ignore: [
      // the key name alone identifies the key but cannot sign
      'which key is it? organizations/42715750-f40a-4b00-8c48-42b33d6e448a/apiKeys/56fe586e-b7db-4f00-9675-b58955a9ca3e',
      '{"name": "organizations/{org_id}/apiKeys/{key_id}", "privateKey": "-----BEGIN EC PRIVATE KEY-----\\n...\\n-----END EC PRIVATE KEY-----"}',
      '{"name": "organizations/42715750-f40a-4b00-8c48-42b33d6e448a/apiKeys/56fe586e-b7db-4f00-9675-b58955a9ca3e", "privateKey": "<paste the private key here>"}',
    ],
  },
};

export const coinbaseDetectors: readonly Detector[] = [coinbaseCdpApiKey];
