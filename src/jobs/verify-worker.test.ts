import { describe, expect, it } from 'vitest';
import { useTestService } from '../../test/service-harness.ts';
import { createDocumentSink, inlineScan } from './document-sink.ts';
import { QUEUES, isJobBatch, unbatch, type VerifyJob } from './queues.ts';
import { handleVerifyBatch } from './verify-worker.ts';

// No workers: the test runs the verify stage by hand.
const bed = useTestService({ LEAKWATCH_VERIFY: 'false' }, { http: false, workers: false });

const TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';
const tokenFor = (n: number) => TOKEN.replace('aYX', `b${String.fromCharCode(65 + (n % 26))}${n % 10}`);

const verifications = async (findingIds: readonly string[]) =>
  (
    await bed.database.db
      .selectFrom('verifications')
      .select('finding_id')
      .where('finding_id', 'in', findingIds)
      .execute()
  ).length;

describe('verify stage with batched jobs', () => {
  it('queues one job for the findings of one flush, checks a finding once per batch, and runs a retried job again', async () => {
    const sink = createDocumentSink(bed.service.ctx.boss, bed.service.ctx.transit, () => new Date(), {
      inline: inlineScan(bed.service.ctx),
    });
    await sink.submit(
      [1, 2, 3].map((n) => ({
        ref: { platform: 'chat', workspace: 'w', container: 'verify-batch', item: `m${n}` },
        text: `deploy with ${tokenFor(n)}`,
        format: 'plain' as const,
      })),
    );
    const jobs = (await bed.service.ctx.boss.findJobs<VerifyJob>(QUEUES.verify, { queued: true })).filter(
      (j) => isJobBatch(j.data) && unbatch(j.data).length === 3,
    );
    expect(jobs).toHaveLength(1);
    const items = unbatch(jobs[0]!.data);
    const findingIds = items.map((i) => i.findingId);
    expect(new Set(findingIds).size).toBe(3);
    expect(items.every((i) => i.reason === 'new')).toBe(true);
    expect(JSON.stringify(jobs[0]!.data)).not.toContain(tokenFor(1));

    // The same item twice in one fetched batch (queued by two sightings): one check.
    const first = await handleVerifyBatch(bed.service.ctx, [...items, items[0]!]);
    expect(first.slice(0, 3).every((r) => r?.liveness === 'not_attempted')).toBe(true);
    expect(first[3]).toBeUndefined();
    expect(await verifications(findingIds)).toBe(3);

    // The same job again (retried after a crash between storing its results and requesting revokes or
    // announcing them): it runs to the end again rather than trusting that the first run finished.
    const again = await handleVerifyBatch(bed.service.ctx, items);
    expect(again.every((r) => r?.liveness === 'not_attempted')).toBe(true);
    expect(await verifications(findingIds)).toBe(6);
  });
});
