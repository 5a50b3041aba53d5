import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import type { DocumentRef } from '../core/document.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import type { FindingUpdate } from '../db/schema.ts';
import { createScanner } from '../detection/scanner.ts';
import { recordDocument } from '../findings/record.ts';
import { SealedBox } from '../findings/sealed-box.ts';
import { computeDigest, formatDuration, type Digest } from './digest.ts';

const KEY = 'digest-test-fingerprint-key-0123456789abcdef';
const scanner = createScanner({ detectors, fingerprintKey: KEY });
const transit = new SealedBox(KEY, 'transit');
const vault = new SealedBox('digest-test-vault-key-0123456789abcdef', 'vault');
const HOUR = 3_600_000;
const now = new Date();
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
const tokens: string[] = [];
let database: DatabaseHandle & { drop(): Promise<void> };

/** A fresh GitLab personal access token the scanner finds (glpat- + 20 characters). */
function token(n: number): string {
  return `glpat-Xq${n}Zr8Kp2Lm9Wv4Tn7Y${n}`;
}

/**
 * Records a document holding a real token through the pipeline's record
 * step (finding, occurrence, identity, vault), then moves its timestamps and
 * status to where the scenario needs them.
 */
async function seed(n: number, ref: Omit<DocumentRef, 'item'>, hoursAgo: number, changes: FindingUpdate = {}) {
  const secret = token(n);
  tokens.push(secret);
  const matches = scanner.scan(`CI_TOKEN=${secret}`, { format: 'plain' }).map((m) => ({
    detectorId: m.detectorId,
    issuer: m.issuer,
    severity: m.severity,
    confidence: m.confidence,
    fingerprint: m.fingerprint,
    redacted: m.redacted,
    start: m.start,
    end: m.end,
    sealedSecret: transit.seal(m.secret.reveal()),
    sealedParts: {},
  }));
  expect(matches).toHaveLength(1);
  const seenAt = ago(hoursAgo);
  const result = await recordDocument(
    database.db,
    { ref: { ...ref, item: `item-${n}` }, matches, seenAt },
    { transit, vault },
  );
  const id = result.recorded[0]!.findingId;
  await sql`update findings set created_at = ${seenAt} where id = ${id}`.execute(database.db);
  if (Object.keys(changes).length > 0)
    await database.db.updateTable('findings').set(changes).where('id', '=', id).execute();
  return id;
}

const slack = (channel: string, user: string) => ({
  platform: 'slack',
  workspace: 'T0ACME',
  container: channel,
  url: `https://acme.slack.com/archives/${channel}/p1`,
  author: { id: user },
});

let ids: Record<string, string>;
let daily: Digest;
let weekly: Digest;

beforeAll(async () => {
  database = await createTestDatabase();
  ids = {
    newLive: await seed(1, slack('C0DEPLOYS', 'U0DANA'), 2, {
      liveness: 'live',
      severity: 'critical',
      status: 'notified',
    }),
    oldLive: await seed(
      2,
      { platform: 'jira', workspace: 'acme', container: 'OPS', author: { id: 'acc-1', name: 'Jo' } },
      72,
      { liveness: 'live' },
    ),
    rotated: await seed(3, slack('C0DEPLOYS', 'U0SAM'), 10, {
      severity: 'high',
      status: 'remediated',
      remediation: 'rotated',
      remediated_at: ago(4),
    }),
    revoked: await seed(4, slack('C0OPS', 'U0SAM'), 30, {
      status: 'resolved',
      remediation: 'revoked',
      remediated_at: ago(2),
      resolved_at: ago(1),
      liveness: 'dead',
    }),
    falsePositive: await seed(5, slack('C0RANDOM', 'U0KIM'), 5, {
      severity: 'medium',
      status: 'false_positive',
      status_changed_at: ago(1),
    }),
    escalated: await seed(6, slack('C0LEGACY', 'U0KIM'), 8 * 24, {
      status: 'remediated',
      remediation: 'rotated',
      remediated_at: ago(7 * 24 + 12),
      liveness: 'live',
      escalated_at: ago(24),
    }),
  };
  daily = await computeDigest(database.db, { period: 'daily', now });
  weekly = await computeDigest(database.db, { period: 'weekly', now });
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

describe('computeDigest', () => {
  it('counts what happened during the day', () => {
    expect(daily).toMatchObject({
      period: 'daily',
      newFindings: 3,
      newLive: 1,
      newBySeverity: { critical: 1, high: 1, medium: 1 },
      revoked: 1,
      rotated: 1,
      resolved: 1,
      falsePositives: 1,
    });
    expect(daily.to).toEqual(now);
    expect(daily.from).toEqual(ago(24));
  });

  it('reports what is open now, whatever the period', () => {
    for (const digest of [daily, weekly]) {
      expect(digest).toMatchObject({ open: 4, openLive: 3, escalated: 1 });
    }
  });

  it('computes the mean time from first seen to revoked or rotated', () => {
    // rotated 6 h after it was seen, revoked 28 h after: 17 h on average.
    expect(daily.meanTimeToRemediateSeconds).toBe(17 * 3600);
    expect(formatDuration(daily.meanTimeToRemediateSeconds!)).toBe('17h 0m');
  });

  it('lists the oldest open live findings first, with owner and place', () => {
    expect(daily.oldestOpenLive.map((f) => f.id)).toEqual([ids.escalated, ids.oldLive, ids.newLive]);
    const [escalated, jira, fresh] = daily.oldestOpenLive;
    expect(escalated).toMatchObject({ escalated: true, ownerSlackUserId: 'U0KIM' });
    expect(jira).toMatchObject({ ownerName: 'Jo', ownerSlackUserId: null, url: null });
    expect(fresh).toMatchObject({ severity: 'critical', url: 'https://acme.slack.com/archives/C0DEPLOYS/p1' });
    expect(fresh!.redacted).toMatch(/^glpat-\*{8}/);
  });

  it('ranks the places where new leaks happened', () => {
    expect(daily.topPlaces).toEqual([
      { platform: 'slack', workspace: 'T0ACME', container: 'C0DEPLOYS', findings: 2 },
      { platform: 'slack', workspace: 'T0ACME', container: 'C0RANDOM', findings: 1 },
    ]);
  });

  it('widens the window for the weekly digest', () => {
    expect(weekly.newFindings).toBe(5);
    expect(weekly.from).toEqual(ago(7 * 24));
  });

  it('holds no secret', () => {
    const text = JSON.stringify([daily, weekly]);
    for (const secret of tokens) expect(text).not.toContain(secret);
  });

  it('is empty, not failing, on a quiet period', async () => {
    const quiet = await computeDigest(database.db, { period: 'daily', now: ago(24 * 30) });
    expect(quiet).toMatchObject({ newFindings: 0, revoked: 0, meanTimeToRemediateSeconds: null, topPlaces: [] });
  });
});

describe('formatDuration', () => {
  it('reads like a person would say it', () => {
    expect([45, 600, 3 * 3600 + 12 * 60, 50 * 3600].map(formatDuration)).toEqual(['45s', '10m', '3h 12m', '2d 2h']);
  });
});
