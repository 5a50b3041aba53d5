import type { Detector } from '../src/core/detector.ts';
import { field, httpVerifier } from '../src/verification/http-verifier.ts';
import { secretText } from '../src/verification/sensitive.ts';

/**
 * Proxmox VE API token, as sent: `PVEAPIToken=<user>@<realm>!<token id>=<UUID>`. The whole
 * `user@realm!id=secret` string is the credential (the check needs every part of it).
 */
export const proxmoxApiToken: Detector = {
  id: 'proxmox-api-token',
  name: 'Proxmox VE API token',
  issuer: 'proxmox',
  keywords: ['PVEAPIToken'],
  pattern:
    /PVEAPIToken[=\s]{1,3}(?<secret>[\w.-]{1,64}@[\w.-]{1,32}![\w.-]{1,64}=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![\w-])/,
  entropy: 3,
  severity: 'critical',
  // `GET /api2/json/version` needs any valid ticket or token; it reads nothing else.
  verify: httpVerifier({
    hosts: [],
    selfHosted: true,
    request: (secret, ctx) => ({
      url: `${(ctx.baseUrls[0] ?? '').replace(/\/+$/, '')}/api2/json/version`,
      headers: { authorization: secretText`PVEAPIToken=${secret}` },
    }),
    deadStatus: [401],
    confirm: (response) => field(response.body, 'data', 'version') !== undefined,
    facts: (response) => {
      const version = field(response.body, 'data', 'version');
      return version ? { details: { version } } : undefined;
    },
    fixtures: {
      live: { status: 200, body: { data: { version: '8.3.2', release: '8.3', repoid: '3e76eec21c4a14a7' } } },
      dead: { status: 401, body: { data: null, message: 'invalid token value!\n' } },
    },
  }),
  examples: {
    match: [
      "curl -H 'Authorization: PVEAPIToken=terraform@pve!provisioner=c9242f5e-c8d1-85c5-dff1-d7e5d22f1fd0' https://pve01.lab.northwind.io:8006/api2/json/nodes",
      'PROXMOX_AUTH="PVEAPIToken=root@pam!backup-check=deabb1ca-0a49-ae97-91fb-5ed571e136d9"',
    ],
    ignore: [
      "curl -H 'Authorization: PVEAPIToken=USER@REALM!TOKENID=UUID' https://pve:8006/api2/json/",
      'PVEAPIToken=root@pam!monitoring=00000000-0000-0000-0000-000000000000',
      'PVEAPIToken=root@pam!monitoring=<uuid>',
    ],
  },
};

export const proxmoxDetectors: readonly Detector[] = [proxmoxApiToken];
