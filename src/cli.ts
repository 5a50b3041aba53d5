import { readFileSync } from 'node:fs';
import { LeakwatchError } from './core/errors.ts';
import type { CommandIo } from './cli/command-io.ts';
import { runDetectors } from './cli/detectors-command.ts';
import { readStdinFully, runScan } from './cli/scan-command.ts';

const USAGE = `Usage: leakwatch <command> [options]

Commands:
  demo               try leakwatch on local stand-ins for Slack, Jira, Confluence and Teams (no account needed)
  scan [PATH…|-]     scan files, directories or stdin for leaked credentials
  serve              run the API, webhooks and pipeline workers
  worker             run pipeline workers only (scale-out)
  migrate            apply database migrations
  keys create        create an API key (printed once)
  backfill PLATFORM  read a platform's history (slack, confluence, jira, teams)
  digest             post the security digest now
  detectors          list the built-in detectors
  help               show this help

Run \`leakwatch <command> --help\` for a command's options.`;

const COMMANDS: Record<string, (argv: readonly string[], io: CommandIo) => number | Promise<number>> = {
  scan: runScan,
  detectors: runDetectors,
  // Database-backed commands load their (heavier) modules only when used, so `scan` starts fast.
  serve: async (argv, io) =>
    (await import('./cli/serve-command.ts')).runService({ http: true, workers: true }, argv, io),
  worker: async (argv, io) =>
    (await import('./cli/serve-command.ts')).runService({ http: false, workers: true }, argv, io),
  migrate: async (argv, io) => (await import('./cli/migrate-command.ts')).runMigrate(argv, io),
  keys: async (argv, io) => (await import('./cli/keys-command.ts')).runKeys(argv, io),
  backfill: async (argv, io) => (await import('./cli/backfill-command.ts')).runBackfill(argv, io),
  digest: async (argv, io) => (await import('./cli/digest-command.ts')).runDigest(argv, io),
  demo: async (argv, io) => (await import('./cli/demo-command.ts')).runDemoCommand(argv, io),
};

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Runs the CLI; returns the exit code. Errors become a message on stderr and exit 2. */
export async function main(argv: readonly string[], io: CommandIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.stdout(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    io.stdout(io.version);
    return 0;
  }
  const run = COMMANDS[command];
  if (run === undefined) {
    io.stderr(`leakwatch: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    // parseArgs reports unknown/ill-typed flags with ERR_PARSE_ARGS_* codes.
    const code = (error as { code?: string }).code;
    if (error instanceof LeakwatchError || code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`leakwatch ${command}: ${(error as Error).message}`);
      return 2;
    }
    throw error;
  }
}

export const processIo: CommandIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  readStdin: readStdinFully,
  env: process.env,
  version: packageVersion(),
};

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2), processIo);
}
