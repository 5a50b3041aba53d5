import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';
import { startService } from '../service.ts';
import type { CommandIo } from './command-io.ts';

export const DIGEST_USAGE = `Usage: leakwatch digest [--period daily|weekly]

Posts the security digest now (new, live, revoked and resolved findings, mean time to
remediate, oldest open live findings, top channels; no secret in it) to the security channel
(SLACK_SECURITY_CHANNEL). Scheduled digests follow SLACK_DIGEST_CRON.`;

export async function runDigest(argv: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      period: { type: 'string', default: 'daily' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(DIGEST_USAGE);
    return 0;
  }
  const period = values.period;
  if (period !== 'daily' && period !== 'weekly') {
    throw new LeakwatchError(ErrorCode.InputInvalid, `--period must be daily or weekly (got "${period}")`);
  }
  const service = await startService(loadConfig(io.env), { http: false, workers: false });
  try {
    const sender = service.integrations.find((i) => i.sendDigest);
    if (!sender?.sendDigest) {
      throw new LeakwatchError(
        ErrorCode.InputInvalid,
        'no chat integration can post digests: set SLACK_BOT_TOKEN and SLACK_SECURITY_CHANNEL',
      );
    }
    const { posted } = await sender.sendDigest({ period, requestedBy: 'cli' });
    io.stdout(posted ? `${period} digest posted` : 'digest not posted (see the log)');
    return posted ? 0 : 1;
  } finally {
    await service.stop();
  }
}
