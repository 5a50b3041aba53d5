import { describe, expect, it } from 'vitest';
import { useTestService } from '../../test/service-harness.ts';
import type { InboundDocument } from '../core/integration.ts';
import { createDocumentSink, inlineScan, type InlineScan } from './document-sink.ts';
import { QUEUES, type ScanJob, type VerifyJob } from './queues.ts';
import type { ReceivedDocument } from './scan-worker.ts';

// No workers: whatever is queued stays queued, so the tests see exactly what the sink wrote.
const bed = useTestService({ LEAKWATCH_VERIFY: 'false' }, { http: false, workers: false });

const TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';
/** The same token family, one character changed per item, so each document carries a new credential. */
const tokenFor = (n: number) => TOKEN.replace('aYX', `a${String.fromCharCode(65 + (n % 26))}${n % 10}`);

const doc = (container: string, item: string, text: string): InboundDocument => ({
  ref: { platform: 'chat', workspace: 'w', container, item },
  text,
  format: 'plain',
});

/** Inline scanning through the real pipeline, counting calls and documents. */
function countingInline(overrides: Partial<InlineScan> = {}) {
  const calls: number[] = [];
  const real = inlineScan(bed.service.ctx);
  const inline: InlineScan = {
    ...real,
    scanAndRecord: async (documents: readonly ReceivedDocument[]) => {
      calls.push(documents.length);
      return real.scanAndRecord(documents);
    },
    ...overrides,
  };
  return { inline, calls };
}

const occurrencesIn = (container: string) =>
  bed.database.db.selectFrom('occurrences').selectAll().where('container', '=', container).execute();

const scanJobsIn = async (container: string) =>
  (await bed.service.ctx.boss.findJobs<ScanJob>(QUEUES.scan, {})).filter((j) => j.data.ref.container === container);

describe('document sink', () => {
  it('records small documents before submit resolves, with their verify jobs and no scan job', async () => {
    const { inline } = countingInline();
    const sink = createDocumentSink(bed.service.ctx.boss, bed.service.ctx.transit, () => new Date(), { inline });
    const ids = await sink.submitWithIds([
      doc('inline', 'm1', `deploy with ${tokenFor(1)}`),
      doc('inline', 'm2', 'hi'),
    ]);
    expect(ids).toEqual([null, null]);
    const occurrences = await occurrencesIn('inline');
    expect(occurrences.map((o) => o.item)).toEqual(['m1']);
    const verify = await bed.service.ctx.boss.findJobs<VerifyJob>(QUEUES.verify, { queued: true });
    expect(verify.map((j) => j.data.findingId)).toContain(occurrences[0]!.finding_id);
    expect(await scanJobsIn('inline')).toHaveLength(0);
  });

  it('queues documents over the inline limit as scan jobs with their text sealed', async () => {
    const { inline, calls } = countingInline({ maxChars: 64 });
    const sink = createDocumentSink(bed.service.ctx.boss, bed.service.ctx.transit, () => new Date(), { inline });
    const long = `${'lorem ipsum '.repeat(10)} ${tokenFor(2)}`;
    const [small, big] = await sink.submitWithIds([doc('mixed', 's', 'short'), doc('mixed', 'b', long)]);
    expect(small).toBeNull();
    expect(calls).toEqual([1]);
    const jobs = await scanJobsIn('mixed');
    expect(jobs.map((j) => j.id)).toEqual([big]);
    expect(jobs[0]!.data.ref.item).toBe('b');
    expect(JSON.stringify(jobs[0]!.data)).not.toContain(tokenFor(2));
    expect(bed.service.ctx.transit.open(jobs[0]!.data.sealedText)).toBe(long);
  });

  it('queues the documents as scan jobs when scanning them at once fails, and says so', async () => {
    const failures: number[] = [];
    const { inline } = countingInline({
      scanAndRecord: () => Promise.reject(new Error('database said no')),
      onFallback: (_error, documents) => failures.push(documents),
    });
    const sink = createDocumentSink(bed.service.ctx.boss, bed.service.ctx.transit, () => new Date(), { inline });
    const ids = await sink.submitWithIds([doc('fallback', 'f1', `x ${tokenFor(3)}`), doc('fallback', 'f2', 'y')]);
    expect(failures).toEqual([2]);
    const jobs = await scanJobsIn('fallback');
    expect(jobs.map((j) => j.id).sort()).toEqual([...ids].sort());
    expect(await occurrencesIn('fallback')).toHaveLength(0);
  });

  it('writes concurrent submissions in one flush', async () => {
    const { inline, calls } = countingInline();
    const sink = createDocumentSink(bed.service.ctx.boss, bed.service.ctx.transit, () => new Date(), { inline });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => sink.submit([doc('together', `t${i}`, `token ${tokenFor(200 + i)}`)])),
    );
    expect(calls).toEqual([40]);
    expect(await occurrencesIn('together')).toHaveLength(40);
  });

  it('repeats no effect when the same document is submitted again', async () => {
    const { inline } = countingInline();
    const sink = createDocumentSink(bed.service.ctx.boss, bed.service.ctx.transit, () => new Date(), { inline });
    const again = doc('again', 'a1', `posted ${tokenFor(4)}`);
    await sink.submit([again]);
    await sink.submit([again]);
    const occurrences = await occurrencesIn('again');
    expect(occurrences).toHaveLength(1);
    const verify = await bed.service.ctx.boss.findJobs<VerifyJob>(QUEUES.verify, { queued: true });
    expect(verify.filter((j) => j.data.findingId === occurrences[0]!.finding_id)).toHaveLength(1);
    const audits = await bed.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', occurrences[0]!.finding_id)
      .execute();
    expect(audits.map((a) => a.action)).toEqual(['finding.created']);
  });

  it('writes nothing for a first version without matches, while an edit without them closes what it removed', async () => {
    const { inline } = countingInline();
    const sink = createDocumentSink(bed.service.ctx.boss, bed.service.ctx.transit, () => new Date(), { inline });
    await sink.submit([doc('first', 'f1', `token ${tokenFor(5)}`)]);
    expect((await occurrencesIn('first')).map((o) => o.closed_at)).toEqual([null]);

    // Said to be the item's first text: no statement, so the open occurrence stays as it was.
    await sink.submit([{ ...doc('first', 'f1', 'nothing here'), firstVersion: true }]);
    expect((await occurrencesIn('first')).map((o) => o.closed_at)).toEqual([null]);
    // A first version with a credential is recorded as any other document.
    await sink.submit([{ ...doc('first', 'f2', `token ${tokenFor(6)}`), firstVersion: true }]);
    expect((await occurrencesIn('first')).map((o) => o.item).sort()).toEqual(['f1', 'f2']);

    // The same clean text as an edit closes the occurrence.
    await sink.submit([doc('first', 'f1', 'nothing here')]);
    const f1 = (await occurrencesIn('first')).find((o) => o.item === 'f1')!;
    expect(f1.closed_at).not.toBeNull();
  });

  it('rejects the callers when nothing could be stored', async () => {
    const { inline } = countingInline({ scanAndRecord: () => Promise.reject(new Error('down')) });
    const boss = bed.service.ctx.boss;
    const broken = Object.create(boss, {
      insert: { value: () => Promise.reject(new Error('database unreachable')) },
    }) as typeof boss;
    const sink = createDocumentSink(broken, bed.service.ctx.transit, () => new Date(), { inline });
    await expect(sink.submit([doc('lost', 'l1', 'text')])).rejects.toThrow('database unreachable');
  });

  it('without inline scanning queues every document (a process that only takes documents in)', async () => {
    const sink = createDocumentSink(bed.service.ctx.boss, bed.service.ctx.transit, () => new Date());
    const [id] = await sink.submitWithIds([doc('queued', 'q1', `x ${tokenFor(5)}`)]);
    expect((await scanJobsIn('queued')).map((j) => j.id)).toEqual([id]);
    expect(await occurrencesIn('queued')).toHaveLength(0);
  });
});
