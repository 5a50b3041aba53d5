import { createHmac } from 'node:crypto';
import type { PlantedEvent } from './planted-events.ts';
import { sleep } from './leakwatch-processes.ts';

export interface DriverOptions {
  /** `http://127.0.0.1:<port>` of the serve process (the same port across restarts). */
  baseUrl: string;
  signingSecret: string;
  /** API key with the `ingest` scope. */
  apiKey: string;
  /** Requests in flight at once. */
  concurrency: number;
  /** Attempts per event before the driver gives up (the event then counts as never acknowledged). */
  maxAttempts?: number;
  /** Told the number of acknowledged events after each acknowledgement. */
  onAcknowledged?: (count: number) => void;
}

/** What the sender saw: which events were acknowledged (2xx), after how many attempts. */
export interface DriverReport {
  sent: number;
  acknowledged: Set<number>;
  /** Attempts beyond the first, i.e. retries like Slack's `X-Slack-Retry-Num` ≥ 1. */
  retries: number;
  /** Events never acknowledged within `maxAttempts`. */
  gaveUp: number[];
  /** Non-2xx answers by status (`net` for a failed connection, `timeout`). */
  failures: Map<string, number>;
}

/**
 * Sends planted events the way their senders do. Slack: signed with the
 * signing secret, 3 s timeout, and on anything but 2xx the same envelope again
 * (same `event_id`) with `X-Slack-Retry-Num` and `X-Slack-Retry-Reason`, on a
 * compressed version of Slack's schedule (Slack waits ~1 and ~5 minutes; here
 * 0.25–3 s, more attempts, so a run with crashes does not take an hour). API
 * documents: the same body again until 2xx.
 */
export async function driveEvents(events: readonly PlantedEvent[], options: DriverOptions): Promise<DriverReport> {
  const report: DriverReport = {
    sent: 0,
    acknowledged: new Set(),
    retries: 0,
    gaveUp: [],
    failures: new Map(),
  };
  const maxAttempts = options.maxAttempts ?? 40;
  let next = 0;
  const fail = (what: string) => report.failures.set(what, (report.failures.get(what) ?? 0) + 1);

  const sendOne = async (event: PlantedEvent) => {
    let reason = 'http_error';
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (attempt > 0) {
        report.retries++;
        await sleep(Math.min(3000, 250 * attempt));
      }
      report.sent++;
      try {
        const response = await fetch(requestUrl(event, options), {
          method: 'POST',
          headers: headersFor(event, options, attempt, reason),
          body: event.body,
          signal: AbortSignal.timeout(3000),
        });
        await response.body?.cancel();
        if (response.ok) {
          report.acknowledged.add(event.index);
          options.onAcknowledged?.(report.acknowledged.size);
          return;
        }
        reason = 'http_error';
        fail(String(response.status));
      } catch (error) {
        const timeout = (error as Error).name === 'TimeoutError';
        reason = timeout ? 'http_timeout' : 'connection_failed';
        fail(timeout ? 'timeout' : 'net');
      }
    }
    report.gaveUp.push(event.index);
  };

  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (next < events.length) await sendOne(events[next++]!);
    }),
  );
  return report;
}

function requestUrl(event: PlantedEvent, options: DriverOptions): string {
  return `${options.baseUrl}${event.via === 'slack' ? '/slack/events' : '/api/v1/documents'}`;
}

function headersFor(
  event: PlantedEvent,
  options: DriverOptions,
  attempt: number,
  reason: string,
): Record<string, string> {
  if (event.via === 'api') return { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` };
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', options.signingSecret).update(`v0:${timestamp}:${event.body}`).digest('hex')}`;
  return {
    'content-type': 'application/json',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': signature,
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    ...(attempt > 0 ? { 'x-slack-retry-num': String(attempt), 'x-slack-retry-reason': reason } : {}),
  };
}
