import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';
import { startService } from '../service.ts';
import type { CommandIo } from './command-io.ts';

export const BACKFILL_USAGE = `Usage: leakwatch backfill <slack|confluence|jira|teams> [options]

Reads the platform's history into the pipeline as resumable jobs (recorded in backfill_runs),
runs the workers in this process and prints progress until the run is done. Re-running the same
backfill resumes it. Stop with Ctrl-C at any time; a running \`leakwatch serve\`/\`worker\` also
works through the queued steps.

Options:
  --channels a,b     Slack channels (ids or names); default: every conversation the app is in
  --spaces A,B       Confluence space keys; default: CONFLUENCE_SPACES, else every readable space
  --projects A,B     Jira project keys; default: JIRA_PROJECTS, else every readable project
  --teams a,b        Teams team ids; default: TEAMS_TEAMS, else every team
  --since ISO-8601   only what was written or changed from then on
  --no-wait          queue the run and exit (workers elsewhere do the work)`;

const TERMINAL = new Set(['done', 'failed']);

export async function runBackfill(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      channels: { type: 'string' },
      spaces: { type: 'string' },
      projects: { type: 'string' },
      teams: { type: 'string' },
      since: { type: 'string' },
      'no-wait': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(BACKFILL_USAGE);
    return 0;
  }
  const platform = positionals[0];
  if (!platform || positionals.length > 1) {
    throw new LeakwatchError(ErrorCode.InputInvalid, `expected one platform\n\n${BACKFILL_USAGE}`);
  }
  const list = values.channels ?? values.spaces ?? values.projects ?? values.teams;
  const containers = (list ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (Number.isNaN(since.getTime())) {
      throw new LeakwatchError(
        ErrorCode.InputInvalid,
        `--since must be an ISO-8601 date or time (got "${values.since}")`,
      );
    }
  }

  const config = loadConfig(io.env);
  if (!(config.integrations as unknown as Record<string, unknown>)[platform]) {
    throw new LeakwatchError(
      ErrorCode.InputInvalid,
      `${platform} is not configured (see README: the ${platform.toUpperCase()}_… variables)`,
    );
  }
  const wait = !values['no-wait'];
  const service = await startService(config, { http: false, workers: wait });
  try {
    const integration = service.integrations.find((i) => i.platform === platform);
    if (!integration?.startBackfill)
      throw new LeakwatchError(ErrorCode.InputInvalid, `${platform} cannot be backfilled`);
    const { runId, resumed } = await integration.startBackfill({ containers, ...(since ? { since } : {}) });
    io.stdout(`${resumed ? 'resuming' : 'started'} ${platform} backfill ${runId}`);
    if (!wait) return 0;

    const interrupted = new Promise<'interrupted'>((resolve) => process.once('SIGINT', () => resolve('interrupted')));
    let last = '';
    for (;;) {
      const run = await service.handle.db
        .selectFrom('backfill_runs')
        .selectAll()
        .where('id', '=', runId)
        .executeTakeFirstOrThrow();
      const line = `${run.status}: ${run.items_done} items, ${run.documents} documents${run.error ? ` (${run.error})` : ''}`;
      if (line !== last) io.stdout(line);
      last = line;
      if (TERMINAL.has(run.status)) {
        if (run.status === 'failed') return 1;
        await drained(service, interrupted);
        const findings = await service.handle.db
          .selectFrom('occurrences')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('platform', '=', platform)
          .executeTakeFirstOrThrow();
        io.stdout(`done; ${findings.n} occurrences of leaked credentials on ${platform} are recorded`);
        return 0;
      }
      if ((await Promise.race([interrupted, sleep(1000)])) === 'interrupted') {
        io.stdout('stopped; run the same command again to resume');
        return 130;
      }
    }
  } finally {
    await service.stop();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until the documents the backfill submitted are scanned (or the user interrupts). */
async function drained(service: Awaited<ReturnType<typeof startService>>, interrupted: Promise<unknown>) {
  for (;;) {
    const queue = await service.ctx.boss.getQueue('scan');
    if (!queue || queue.queuedCount + queue.activeCount === 0) return;
    if ((await Promise.race([interrupted, sleep(500)])) === 'interrupted') return;
  }
}
