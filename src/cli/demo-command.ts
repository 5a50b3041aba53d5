import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ErrorCode, LeakwatchError } from '../core/errors.ts';
import { runDemo } from '../demo/run-demo.ts';
import type { CommandIo } from './command-io.ts';

export const DEMO_USAGE = `Usage: leakwatch demo [--port N] [--exit-after SECONDS]

Runs leakwatch with stand-ins for Slack, Jira, Confluence and Microsoft Graph on 127.0.0.1,
plants a few realistic leaks and prints what leakwatch does with them: detection, liveness,
the owner's DM, redaction at the source, the digest. Open the dashboard it prints and sign in
with the API key it prints. No account anywhere; no real credential is used or sent.

  --port N              leakwatch's port (default 8080; 0 picks a free one)
  --exit-after SECONDS  stop by itself that long after everything is up (default: run until Ctrl-C)

Data lives in ./.leakwatch-demo and is wiped each time the demo starts.`;

export interface DemoArgs {
  help: boolean;
  port: number;
  exitAfterSeconds?: number;
}

/** Parses `leakwatch demo` options; errors name the flag. */
export function parseDemoArgs(argv: readonly string[]): DemoArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      'exit-after': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new LeakwatchError(ErrorCode.InputInvalid, '--port must be a port number (0-65535)');
  }
  const exitAfter = values['exit-after'] === undefined ? undefined : Number(values['exit-after']);
  if (exitAfter !== undefined && (!Number.isFinite(exitAfter) || exitAfter <= 0)) {
    throw new LeakwatchError(ErrorCode.InputInvalid, '--exit-after must be a number of seconds greater than 0');
  }
  return { help: values.help, port, ...(exitAfter !== undefined ? { exitAfterSeconds: exitAfter } : {}) };
}

/** `leakwatch demo`: runs until Ctrl-C or `--exit-after`; the environment's settings are deliberately ignored. */
export async function runDemoCommand(argv: readonly string[], io: CommandIo): Promise<number> {
  const args = parseDemoArgs(argv);
  if (args.help) {
    io.stdout(DEMO_USAGE);
    return 0;
  }
  return runDemo({
    port: args.port,
    ...(args.exitAfterSeconds !== undefined ? { exitAfterSeconds: args.exitAfterSeconds } : {}),
    dataDir: resolve('.leakwatch-demo'),
    handleSignals: true,
    print: io.stdout,
  });
}
