/**
 * Open-loop load generator for `load-bench.ts`, run as its own child process
 * (forked with IPC) so it does not steal the service's event loop. It sends
 * correctly signed Events API `event_callback` message events to
 * `/slack/events` on a fixed schedule — event i is due at start + i/rate,
 * whatever happened to earlier requests — over keep-alive connections, and
 * measures each acknowledgement from the moment the event was due (so a slow
 * server cannot hide latency by slowing the sender down). A fraction of the
 * messages carries a freshly generated credential, each from an author of its
 * own: the owner DM then goes to `D<author>` and the parent matches it to the
 * send time.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { chatFiller, noiseMessage } from './noise.ts';
import { TOKEN_FAMILIES } from './planted-tokens.ts';
import { Rng } from './rng.ts';

export interface LoadRun {
  type: 'run';
  /** `http://127.0.0.1:<port>/slack/events` */
  url: string;
  signingSecret: string;
  teamId: string;
  /** Events per second. */
  rate: number;
  seconds: number;
  plantedFraction: number;
  seed: number;
  /** Distinguishes authors and event ids of one run from those of another. */
  runId: string;
  /** Report a window summary this often (soak); 0 = only at the end. */
  windowSeconds: number;
  /** Keep-alive connections to the service. */
  connections: number;
}

export interface LoadStats {
  /** Events due by the schedule. */
  offered: number;
  /** Answered 2xx. */
  acked: number;
  /** Answered, not 2xx, by status. */
  statuses: Record<string, number>;
  /** Connection errors and requests that got no answer within the timeout. */
  errors: number;
  /** The errors by code (`ECONNRESET`, `timeout`…). */
  errorKinds: Record<string, number>;
  /** Seconds from the first due event to the last answer. */
  seconds: number;
  ackP50: number;
  ackP99: number;
  ackMax: number;
  /** How late the generator itself sent events (its own lag), p99 ms. */
  sendLagP99: number;
}

export interface PlantedEvent {
  /** The owner's DM channel (`D…`), unique per planted event. */
  dmChannel: string;
  /** When the event was due (epoch ms). */
  dueAt: number;
  /** The planted credential's family (a DM that never comes is looked up by it). */
  family: string;
  /** The message text: the orchestrator checks, after the step, whether leakwatch's scanner reports it at all. */
  text: string;
}

export type GeneratorMessage =
  { type: 'window'; stats: LoadStats } | { type: 'done'; stats: LoadStats; planted: PlantedEvent[]; cpuMicros: number };

/** Slack answers within 3 s or retries; an answer later than this counts as an error. */
const REQUEST_TIMEOUT_MS = 10_000;
const CHANNELS = Array.from({ length: 20 }, (_, i) => `C0LOAD${String(i).padStart(4, '0')}`);
const CLEAN_AUTHORS = 500;
/** Real private keys cost milliseconds each to generate: left out so the schedule stays exact. */
const FAMILIES = TOKEN_FAMILIES.filter((f) => !f.family.startsWith('private-key'));

function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

class Window {
  offered = 0;
  acked = 0;
  errors = 0;
  errorKinds: Record<string, number> = {};
  statuses: Record<string, number> = {};
  latencies: number[] = [];
  lags: number[] = [];
  firstDue = Infinity;
  lastAnswer = 0;

  stats(): LoadStats {
    const latencies = this.latencies.sort((a, b) => a - b);
    const lags = this.lags.sort((a, b) => a - b);
    return {
      offered: this.offered,
      acked: this.acked,
      statuses: this.statuses,
      errors: this.errors,
      errorKinds: this.errorKinds,
      seconds: Number(((this.lastAnswer - this.firstDue) / 1000).toFixed(2)),
      ackP50: round(percentile(latencies, 50)),
      ackP99: round(percentile(latencies, 99)),
      ackMax: round(latencies.at(-1) ?? NaN),
      sendLagP99: round(percentile(lags, 99)),
    };
  }
}

function messageEvent(run: LoadRun, rng: Rng, i: number, planted: boolean, dueAt: number) {
  // Unique per message (a message's ts is its identity within a channel): the event's second, its index as µs.
  const ts = `${Math.floor(dueAt / 1000)}.${String(i % 1e6).padStart(6, '0')}`;
  const user = planted ? `UL${run.runId}X${i}` : `U0CLEAN${i % CLEAN_AUTHORS}`;
  const family = planted ? rng.pick(FAMILIES) : undefined;
  const text = family ? `${chatFiller(rng)} ${family.make(rng).text}` : noiseMessage(rng);
  const channel = CHANNELS[i % CHANNELS.length]!;
  return {
    user,
    family: family?.family ?? '',
    text,
    body: JSON.stringify({
      token: 'unused-verification-token',
      team_id: run.teamId,
      context_team_id: run.teamId,
      api_app_id: 'A0LEAKWTCH',
      event: {
        client_msg_id: `${run.runId}-${i}`,
        type: 'message',
        text,
        user,
        ts,
        // Slack clients send the text a second time as rich text blocks.
        blocks: [
          {
            type: 'rich_text',
            block_id: `b${i % 100000}`,
            elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }],
          },
        ],
        team: run.teamId,
        channel,
        event_ts: ts,
        channel_type: 'channel',
      },
      type: 'event_callback',
      event_id: `Ev${run.runId}X${i}`,
      event_time: Math.floor(dueAt / 1000),
      authorizations: [
        { enterprise_id: null, team_id: run.teamId, user_id: 'U0LEAKBOT', is_bot: true, is_enterprise_install: false },
      ],
      is_ext_shared_channel: false,
      event_context: `4-load-${i}`,
    }),
  };
}

async function runLoad(run: LoadRun): Promise<void> {
  const url = new URL(run.url);
  // FIFO keeps every pooled connection in use, so none sits idle until the server's keep-alive timeout closes it
  // just as it is reused (a client-side ECONNRESET that says nothing about the service).
  const agent = new Agent({
    keepAlive: true,
    maxSockets: run.connections,
    maxFreeSockets: run.connections,
    scheduling: 'fifo',
  });
  const rng = new Rng(run.seed);
  const cpuBefore = process.cpuUsage();
  const planted: PlantedEvent[] = [];
  const total = new Window();
  let window = new Window();
  const windows = [total, () => window] as const;
  const each = (fn: (w: Window) => void) => {
    fn(windows[0]);
    fn(windows[1]());
  };
  let inFlight = 0;

  const send = (i: number, dueAt: number) => {
    const isPlanted = rng.chance(run.plantedFraction);
    const { user, family, text, body } = messageEvent(run, rng, i, isPlanted, dueAt);
    if (isPlanted) planted.push({ dmChannel: `D${user.slice(1)}`, dueAt, family, text });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', run.signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const sentAt = epochMs();
    each((w) => {
      w.offered++;
      w.firstDue = Math.min(w.firstDue, dueAt);
      w.lags.push(sentAt - dueAt);
    });
    inFlight++;
    let settled = false;
    const settle = (status: number | 'error', kind?: string) => {
      if (settled) return;
      settled = true;
      inFlight--;
      const now = epochMs();
      each((w) => {
        w.lastAnswer = Math.max(w.lastAnswer, now);
        if (status === 'error') {
          w.errors++;
          w.errorKinds[kind ?? '?'] = (w.errorKinds[kind ?? '?'] ?? 0) + 1;
        } else if (status >= 200 && status < 300) {
          w.acked++;
          w.latencies.push(now - dueAt);
        } else w.statuses[status] = (w.statuses[status] ?? 0) + 1;
      });
    };
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signature,
          'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
        },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        res.resume();
        res.on('end', () => settle(res.statusCode ?? 0));
        res.on('error', (error: NodeJS.ErrnoException) => settle('error', error.code ?? error.message));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error: NodeJS.ErrnoException) => settle('error', error.code ?? error.message));
    req.end(body);
  };

  const start = epochMs() + 50;
  const count = Math.round(run.rate * run.seconds);
  const interval = 1000 / run.rate;
  let next = 0;
  let nextWindow = start + run.windowSeconds * 1000;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = epochMs();
      while (next < count && start + next * interval <= now) {
        send(next, start + next * interval);
        next++;
      }
      if (run.windowSeconds > 0 && now >= nextWindow) {
        process.send?.({ type: 'window', stats: window.stats() } satisfies GeneratorMessage);
        window = new Window();
        nextWindow += run.windowSeconds * 1000;
      }
      if (next < count) setTimeout(tick, 1);
      else resolve();
    };
    setTimeout(tick, Math.max(0, start - epochMs()));
  });
  const deadline = epochMs() + REQUEST_TIMEOUT_MS + 1000;
  while (inFlight > 0 && epochMs() < deadline) await new Promise((r) => setTimeout(r, 10));
  if (run.windowSeconds > 0 && window.offered > 0) {
    process.send?.({ type: 'window', stats: window.stats() } satisfies GeneratorMessage);
  }
  agent.destroy();
  const cpu = process.cpuUsage(cpuBefore);
  process.send?.({
    type: 'done',
    stats: total.stats(),
    planted,
    cpuMicros: cpu.user + cpu.system,
  } satisfies GeneratorMessage);
}

process.on('message', (message: LoadRun | { type: 'exit' }) => {
  if (message.type === 'run') void runLoad(message);
  else process.exit(0);
});
process.on('disconnect', () => process.exit(0));
