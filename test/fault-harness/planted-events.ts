import { randomBytes } from 'node:crypto';
import { hashicorpVaultDetectors } from '../../detectors/hashicorp-vault.ts';
import { createScanner } from '../../src/detection/scanner.ts';
import type { FaultUpstreams } from './fault-upstreams.ts';

/** One event carrying one live credential that only it contains. */
export interface PlantedEvent {
  index: number;
  via: 'slack' | 'api';
  /** The Vault token planted in it (issued at the stand-in Vault, so it verifies live). */
  token: string;
  /** leakwatch's fingerprint of the token (HMAC under the run's fingerprint key). */
  fingerprint: string;
  /** Slack `event_id`, or the API document id. */
  id: string;
  /** The request body, sent unchanged on every retry. */
  body: string;
  text: string;
  /** Who posted it (a person of the stand-in Slack workspace). */
  author: { id: string; email: string };
}

/**
 * Plants `count` events, each with a distinct Vault service token: every
 * `apiEvery`-th one through `POST /api/v1/documents` (author known by email),
 * the rest as Slack `message` events in one channel. Fingerprints are
 * computed with leakwatch's own scanner and the run's key, so the checks can
 * find each token's finding without the token ever reaching the database.
 */
export function plantEvents(
  upstreams: FaultUpstreams,
  fingerprintKey: string,
  options: { count: number; firstIndex: number; apiEvery?: number; tag: string },
): PlantedEvent[] {
  const scanner = createScanner({ detectors: hashicorpVaultDetectors, fingerprintKey });
  const events: PlantedEvent[] = [];
  const now = Math.floor(Date.now() / 1000);
  for (let n = 0; n < options.count; n++) {
    const index = options.firstIndex + n;
    const token = `hvs.${randomBytes(24).toString('base64url')}`;
    upstreams.issuer.issue('vault', token, `deploy-${index}`);
    const person = upstreams.people[index % upstreams.people.length]!;
    const author = { id: person.id, email: person.email! };
    const text = `${options.tag} #${index}: deploy with VAULT_TOKEN=${token} until the rotation lands`;
    const [match] = scanner.scan(text);
    if (!match || match.detectorId !== 'hashicorp-vault-service-token')
      throw new Error('planted token not detected by the scanner');
    const viaApi = options.apiEvery !== undefined && index % options.apiEvery === 0;
    if (viaApi) {
      const id = `${options.tag}-doc-${index}`;
      const body = JSON.stringify({
        platform: 'wiki',
        container: 'FAULTS',
        id,
        author: { id: person.id, email: person.email, name: person.realName },
        text,
      });
      events.push({ index, via: 'api', token, fingerprint: match.fingerprint, id, body, text, author });
      continue;
    }
    // Slack message ts: unique per event within the channel.
    const ts = `${now}.${String(index).padStart(6, '0')}`;
    const id = `Ev${options.tag.toUpperCase()}${String(index).padStart(7, '0')}`;
    const body = JSON.stringify({
      token: 'unused-verification-token',
      team_id: upstreams.teamId,
      api_app_id: 'A0LEAKWTCH',
      event: {
        type: 'message',
        channel: upstreams.channel,
        channel_type: 'channel',
        user: person.id,
        text,
        ts,
        event_ts: ts,
        team: upstreams.teamId,
      },
      type: 'event_callback',
      event_id: id,
      event_time: now,
      authorizations: [{ enterprise_id: null, team_id: upstreams.teamId, user_id: 'U0FAULTBOT', is_bot: true }],
      is_ext_shared_channel: false,
    });
    events.push({ index, via: 'slack', token, fingerprint: match.fingerprint, id, body, text, author });
  }
  return events;
}
