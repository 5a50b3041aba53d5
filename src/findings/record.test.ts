import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import { recordDocuments, type DocumentSighting, type SealedMatch } from './record.ts';
import { SealedBox } from './sealed-box.ts';

const transit = new SealedBox(randomBytes(32).toString('hex'), 'transit');
let database: DatabaseHandle & { drop(): Promise<void> };
beforeAll(async () => {
  database = await createTestDatabase();
}, 120_000);
afterAll(async () => {
  await database?.drop();
});

function match(fingerprint: string, secret = `secret-${fingerprint}`): SealedMatch {
  return {
    detectorId: 'test-token',
    issuer: 'test',
    severity: 'high',
    confidence: 1,
    fingerprint,
    redacted: 'tok_…abcd',
    start: 5,
    end: 20,
    sealedSecret: transit.seal(secret),
    sealedParts: {},
  };
}

function sighting(item: string, matches: SealedMatch[], seenAt = new Date()): DocumentSighting {
  return {
    ref: { platform: 'chat', workspace: 'w', container: 'batch', item, author: { id: 'U1', email: 'a@example.com' } },
    matches,
    seenAt,
  };
}

describe('recordDocuments', () => {
  it('records a batch in one go: one finding per credential, created once, one occurrence per place', async () => {
    const results = await recordDocuments(
      database.db,
      [sighting('m1', [match('fp-a')]), sighting('m2', [match('fp-a'), match('fp-b')]), sighting('m3', [])],
      { transit },
    );
    expect(results.map((r) => r.recorded.length)).toEqual([2 - 1, 2, 0]);
    const created = results.flatMap((r) => r.recorded.filter((x) => x.created).map((x) => x.finding.fingerprint));
    expect(created.sort()).toEqual(['fp-a', 'fp-b']);
    const findings = await database.db
      .selectFrom('findings')
      .selectAll()
      .where('fingerprint', 'like', 'fp-%')
      .execute();
    expect(findings).toHaveLength(2);
    const occurrences = await database.db
      .selectFrom('occurrences')
      .selectAll()
      .where('container', '=', 'batch')
      .execute();
    expect(occurrences.map((o) => o.item).sort()).toEqual(['m1', 'm2', 'm2']);
    const identities = await database.db.selectFrom('identities').selectAll().execute();
    expect(identities).toHaveLength(1);
    expect(findings.every((f) => f.owner_identity_id === identities[0]!.id)).toBe(true);
    const audits = await database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'finding.created')
      .execute();
    expect(audits).toHaveLength(2);
  });

  it('applies a post and its edit in one batch in order: the secret edited away closes the occurrence', async () => {
    const [post, edit] = await recordDocuments(database.db, [sighting('e1', [match('fp-edit')]), sighting('e1', [])], {
      transit,
    });
    expect(post!.recorded).toHaveLength(1);
    expect(edit!.closedOccurrences).toBe(1);
    const occurrence = await database.db
      .selectFrom('occurrences')
      .selectAll()
      .where('item', '=', 'e1')
      .executeTakeFirstOrThrow();
    expect(occurrence.closed_at).not.toBeNull();
  });

  it('re-opens a resolved finding seen again, and is idempotent when a batch is retried', async () => {
    await recordDocuments(database.db, [sighting('r1', [match('fp-reopen')])], { transit });
    await database.db
      .updateTable('findings')
      .set({ status: 'resolved' })
      .where('fingerprint', '=', 'fp-reopen')
      .execute();
    const batch = [sighting('r2', [match('fp-reopen')])];
    const [again] = await recordDocuments(database.db, batch, { transit });
    expect(again!.recorded[0]).toMatchObject({ created: false, reopened: true, status: 'reopened' });
    const [retried] = await recordDocuments(database.db, batch, { transit });
    expect(retried!.recorded[0]).toMatchObject({ created: false, reopened: false, status: 'reopened' });
    const occurrences = await database.db
      .selectFrom('occurrences')
      .selectAll()
      .where('item', 'in', ['r1', 'r2'])
      .execute();
    expect(occurrences).toHaveLength(2);
  });

  it('counts allowlisted matches on their entry without storing them', async () => {
    const entry = await database.db
      .insertInto('allowlist_entries')
      .values({ kind: 'fingerprint', fingerprint: 'fp-allowed', reason: 'test fixture', created_by: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const results = await recordDocuments(
      database.db,
      [sighting('a1', [match('fp-allowed')]), sighting('a2', [match('fp-allowed')])],
      { transit },
    );
    expect(results.map((r) => r.allowlisted)).toEqual([1, 1]);
    const row = await database.db
      .selectFrom('allowlist_entries')
      .select('hits')
      .where('id', '=', entry.id)
      .executeTakeFirstOrThrow();
    expect(Number(row.hits)).toBe(2);
    expect(
      await database.db.selectFrom('findings').selectAll().where('fingerprint', '=', 'fp-allowed').execute(),
    ).toEqual([]);
  });

  it('creates a new credential exactly once when concurrent batches race on it', async () => {
    const all = await Promise.all(
      [1, 2, 3, 4].map((n) => recordDocuments(database.db, [sighting(`race${n}`, [match('fp-race')])], { transit })),
    );
    expect(
      all
        .flat()
        .flatMap((r) => r.recorded)
        .filter((r) => r.created),
    ).toHaveLength(1);
  });
});
