import { createHmac } from 'node:crypto';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { detectors } from '../../detectors/index.ts';
import { createScanner } from '../../src/detection/scanner.ts';
import { SealedBox } from '../../src/findings/sealed-box.ts';
import { createDocumentSink } from '../../src/jobs/document-sink.ts';
import { QUEUES, type ScanJob } from '../../src/jobs/queues.ts';
import { createLogger } from '../../src/logger.ts';
import { LogNotifier } from '../../src/notify/log-notifier.ts';
import { useMswServer } from '../../test/msw-server.ts';
import { SLACK_BACKFILL_QUEUE } from './backfill.ts';
import { SLACK_DIGEST_QUEUE } from './digest-job.ts';
import { SLACK_EVENTS_PRUNE_QUEUE } from './event-dedupe.ts';
import { SLACK_FILE_QUEUE } from './message-events.ts';
import { loadSlackConfig } from './slack-config.ts';
import { createSlackIntegration } from './slack-integration.ts';
import { useJobQueueBed } from '../../test/job-queue-bed.ts';

const server = useMswServer();
const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
const SIGNING_SECRET = '8f742231b10e8888abcd99eeeeee85a5';
const GITHUB_TOKEN = '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';
const FINGERPRINT_KEY = 'slack-integration-test-key-0123456789abcdef';
const transit = new SealedBox(FINGERPRINT_KEY, 'transit');
const logs: string[] = [];
const logger = createLogger({ level: 'debug', write: (line) => logs.push(line) });

const bed = useJobQueueBed();

function integration(env: Record<string, string> = {}) {
  const config = loadSlackConfig({ SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, ...env })!;
  return createSlackIntegration(config, {
    db: bed.database.db,
    boss: bed.boss,
    sink: createDocumentSink(bed.boss, transit, () => new Date()),
    scanner: createScanner({ detectors, fingerprintKey: FINGERPRINT_KEY }),
    logger,
    now: () => new Date(),
    notifier: () => new LogNotifier(logger),
    detectors: new Map(detectors.map((d) => [d.id, d])),
    revocation: {
      policy: { modeFor: () => 'off', dryRun: false },
      transit,
      vault: undefined,
      events: { emit: async () => {} },
    },
  });
}

describe('createSlackIntegration', () => {
  it('offers routes, notifier, redaction, its queues and schedules', () => {
    const slack = integration({ SLACK_SECURITY_CHANNEL: 'C0SECURITY1', SLACK_DIGEST_CRON: '0 8 * * 1' });
    expect(slack.platform).toBe('slack');
    expect(slack.routes).toBeDefined();
    expect(slack.notifier).toBeDefined();
    expect(typeof slack.redact).toBe('function');
    expect(Object.keys(slack.queues!).sort()).toEqual(
      [SLACK_BACKFILL_QUEUE, SLACK_DIGEST_QUEUE, SLACK_EVENTS_PRUNE_QUEUE, SLACK_FILE_QUEUE].sort(),
    );
    expect(slack.schedules).toEqual([
      { queue: SLACK_EVENTS_PRUNE_QUEUE, cron: '17 3 * * *' },
      { queue: SLACK_DIGEST_QUEUE, cron: '0 8 * * 1', data: { period: 'daily', scheduled: true } },
    ]);
    // No security channel: no digest schedule.
    expect(integration().schedules!.map((s) => s.queue)).toEqual([SLACK_EVENTS_PRUNE_QUEUE]);
  });

  it('learns the workspace at start and stores signed events through its routes', async () => {
    let authTests = 0;
    server.use(
      http.post('https://slack.com/api/auth.test', () => {
        authTests++;
        return HttpResponse.json({
          ok: true,
          url: 'https://acme.slack.com/',
          team: 'Acme',
          user: 'leakwatch',
          team_id: 'T0ACME0001',
          user_id: 'U0LEAKBOT1',
          bot_id: 'B0LEAKBOT1',
        });
      }),
    );
    const slack = integration();
    await slack.start!();
    const body = JSON.stringify({
      team_id: 'T0ACME0001',
      api_app_id: 'A0LEAKWTCH',
      type: 'event_callback',
      event_id: 'Ev0INTEG001',
      event_time: 1768471200,
      event: {
        type: 'message',
        channel: 'C0GENERAL1',
        user: 'U0ALICE001',
        text: `token ${GITHUB_TOKEN}`,
        ts: '1768471200.000100',
        event_ts: '1768471200.000100',
        channel_type: 'channel',
      },
    });
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const response = await slack.routes!.request('/slack/events', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-slack-request-timestamp': String(timestamp),
        'x-slack-signature': signature,
      },
      body,
    });
    expect(response.status).toBe(200);
    const [scan] = await bed.boss.findJobs<ScanJob>(QUEUES.scan, {});
    expect(scan!.data.ref.url).toBe('https://acme.slack.com/archives/C0GENERAL1/p1768471200000100');
    expect(authTests).toBe(1); // asked once at start, remembered afterwards
    await slack.stop!();
  });

  it('forgets event ids older than the retention in its daily clean-up job', async () => {
    const slack = integration();
    const old = new Date(Date.now() - 8 * 86_400_000);
    await bed.database.db
      .insertInto('inbound_events')
      .values([
        { platform: 'slack', event_id: 'Ev0OLD00001', received_at: old },
        { platform: 'jira', event_id: 'jira-old-1', received_at: old },
        { platform: 'slack', event_id: 'Ev0NEW00001' },
      ])
      .execute();
    expect(await slack.queues![SLACK_EVENTS_PRUNE_QUEUE]!({})).toEqual({ pruned: 1 });
    const left = await bed.database.db.selectFrom('inbound_events').select('event_id').execute();
    expect(left.map((r) => r.event_id)).toEqual(expect.arrayContaining(['jira-old-1', 'Ev0NEW00001']));
    expect(left.map((r) => r.event_id)).not.toContain('Ev0OLD00001');
  });
});
