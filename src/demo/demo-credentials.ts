import { randomBytes, randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { Scanner } from '../detection/scanner.ts';

/**
 * The credentials the demo leaks, made fresh on every run so no real-looking
 * secret is ever committed. Each has the exact shape its detector expects
 * (the Data Center PAT's `<id>:` structure, Grafana's checksum suffix); the
 * demo's stand-in issuers know which are live.
 */
export interface DemoCredentials {
  /** Gitea access token (40 hex), posted in Slack; live at the stand-in Gitea. */
  gitea: string;
  /** HashiCorp Vault service token (`hvs.`), in an old version of a Confluence page; live at the stand-in Vault. */
  vault: string;
  /** Jira Data Center personal access token, in a Jira comment; already revoked at the stand-in Jira. */
  jiraPat: string;
  /** Grafana service account token (`glsa_`), in a Teams channel message; live at the stand-in Grafana. */
  grafana: string;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function base62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[randomInt(BASE62.length)];
  return out;
}

/** Data Center PATs are base64 of `<12-digit token id>:<20 random bytes>` (44 characters, no padding). */
function dataCenterPat(): string {
  const id = `${randomInt(1, 10)}${String(randomInt(0, 1e11)).padStart(11, '0')}`;
  return Buffer.concat([Buffer.from(`${id}:`, 'latin1'), randomBytes(20)]).toString('base64');
}

/** `glsa_` + 32 alphanumerics + `_` + 8 hex digits of a CRC32 checksum. */
function grafanaServiceAccountToken(): string {
  const body = `glsa_${base62(32)}`;
  return `${body}_${(crc32(body) >>> 0).toString(16).padStart(8, '0')}`;
}

const GENERATORS: Record<keyof DemoCredentials, { detector: string; make(): string; sample(token: string): string }> = {
  gitea: {
    detector: 'gitea-access-token',
    make: () => randomBytes(20).toString('hex'),
    sample: (t) => `GITEA_TOKEN=${t}`,
  },
  vault: {
    detector: 'hashicorp-vault-service-token',
    make: () => `hvs.${base62(24)}`,
    sample: (t) => `VAULT_TOKEN=${t}`,
  },
  jiraPat: {
    detector: 'atlassian-data-center-pat',
    make: dataCenterPat,
    sample: (t) => `Authorization: Bearer ${t}`,
  },
  grafana: { detector: 'grafana-service-account-token', make: grafanaServiceAccountToken, sample: (t) => `token ${t}` },
};

/**
 * Fresh credentials, each checked against leakwatch's own detectors (a random
 * draw can, rarely, fall under a detector's entropy threshold: it is drawn again).
 */
export function generateDemoCredentials(scanner: Scanner): DemoCredentials {
  const out: Partial<DemoCredentials> = {};
  for (const [name, generator] of Object.entries(GENERATORS) as Array<
    [keyof DemoCredentials, (typeof GENERATORS)[keyof DemoCredentials]]
  >) {
    for (let attempt = 0; out[name] === undefined; attempt++) {
      if (attempt === 20) throw new Error(`could not generate a ${generator.detector} the detector accepts`);
      const token = generator.make();
      const sample = generator.sample(token);
      const found = scanner
        .scan(sample)
        .some((m) => m.detectorId === generator.detector && sample.slice(m.start, m.end) === token);
      if (found) out[name] = token;
    }
  }
  return out as DemoCredentials;
}
