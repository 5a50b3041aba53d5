import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, testConfig } from '../../test/service-harness.ts';
import { createTestDatabase } from '../../test/test-database.ts';
import { createApiKey } from '../db/api-keys-repository.ts';
import type { DatabaseHandle } from '../db/connection.ts';
import { QUEUES, type ScanJob, type VerifyJob } from '../jobs/queues.ts';
import type { Service } from '../service.ts';
import { MAX_BATCH_DOCUMENTS } from './documents-routes.ts';

let database: DatabaseHandle & { drop(): Promise<void> };
/** Takes documents in only (no workers): everything becomes a scan job. */
let intake: Service;
/** Runs the pipeline: small documents are scanned and recorded before the 202. */
let pipeline: Service;
let key: string;

beforeAll(async () => {
  database = await createTestDatabase();
  ({ service: intake } = await startTestService(database, testConfig(), { http: false, workers: false }));
  ({ service: pipeline } = await startTestService(database, testConfig({ LEAKWATCH_VERIFY: 'false' }), {
    http: false,
    workers: true,
  }));
  key = (await createApiKey(database.db, { name: 'ingest', scopes: ['ingest'] })).key;
}, 120_000);
afterAll(async () => {
  await pipeline?.stop();
  await intake?.stop();
  await database?.drop();
});

const TOKEN = 'xoxb-573493285553-6466811986236-aYXbFanZ3lpVq8dJsFsBAAhl';

const post = (service: Service, body: unknown) =>
  service.app.request('/api/v1/documents', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });

const document = (id: string, text = 'hello') => ({ platform: 'wiki', container: 'BATCH', id, text });

describe('POST /api/v1/documents with {documents: [...]}', () => {
  it('queues every document of a batch and answers their ids in order', async () => {
    const response = await post(intake, {
      documents: [document('b1', 'one secret-ish'), document('b2'), document('b3')],
    });
    expect(response.status).toBe(202);
    const { accepted, ids } = (await response.json()) as { accepted: boolean; ids: string[] };
    expect(accepted).toBe(true);
    expect(ids).toHaveLength(3);
    const items = [];
    for (const id of ids) {
      const [job] = await intake.ctx.boss.findJobs<ScanJob>(QUEUES.scan, { id });
      items.push(job!.data.ref.item);
      expect(JSON.stringify(job!.data)).not.toContain('secret-ish');
    }
    expect(items).toEqual(['b1', 'b2', 'b3']);
  });

  it.each([
    [{ documents: [document('ok'), { ...document('bad'), text: 42 }] }, 'documents.1.text'],
    [{ documents: [document('ok'), { ...document('bad'), platform: 'Bad Platform' }] }, 'documents.1.platform'],
    [{ documents: [] }, 'documents'],
    [{ documents: Array.from({ length: MAX_BATCH_DOCUMENTS + 1 }, (_, i) => document(`d${i}`)) }, 'documents'],
    [{ ...document('single'), container: undefined }, 'container'],
  ])('rejects an invalid batch naming the field, storing nothing (%#)', async (body, field) => {
    const before = (await intake.ctx.boss.findJobs(QUEUES.scan, {})).length;
    const response = await post(intake, body);
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; message: string; field: string } };
    expect(error).toMatchObject({ code: 'invalid_request', field });
    expect(error.message).toContain(field);
    expect((await intake.ctx.boss.findJobs(QUEUES.scan, {})).length).toBe(before);
  });

  it('in a process running the pipeline, has recorded the finding and queued its check before the 202', async () => {
    const response = await post(pipeline, {
      documents: [document('r1', `deploy with ${TOKEN}`), document('r2', 'nothing here')],
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true, ids: [null, null] });
    // No waiting: the finding is durable when the answer is.
    const occurrence = await database.db
      .selectFrom('occurrences')
      .selectAll()
      .where('container', '=', 'BATCH')
      .where('item', '=', 'r1')
      .executeTakeFirstOrThrow();
    const verify = await pipeline.ctx.boss.findJobs<VerifyJob>(QUEUES.verify, {});
    expect(verify.map((j) => j.data.findingId)).toContain(occurrence.finding_id);
  });

  it('answers a single document with its id (null when already recorded)', async () => {
    const response = await post(pipeline, document('s1', 'plain text'));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: true, id: null });
  });
});
