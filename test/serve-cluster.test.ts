import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.ts';
import type { CommandIo } from '../src/cli/command-io.ts';
import { freePort } from '../src/demo/stand-in-server.ts';
import { createTestDatabase } from './test-database.ts';

/** Pids of the running processes whose parent is `pid` (read from /proc). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces, inside parentheses): state, ppid, …
      const [, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === pid) children.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return children.sort((a, b) => a - b);
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function healthy(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok;
  } catch {
    return false;
  }
}

describe('LEAKWATCH_SERVE_PROCESSES', () => {
  it('is refused without DATABASE_URL (embedded PGlite is one process), naming the setting', async () => {
    const stderr: string[] = [];
    const io: CommandIo = {
      stdout: () => {},
      stderr: (line) => stderr.push(line),
      readStdin: () => new Uint8Array(),
      env: { LEAKWATCH_SERVE_PROCESSES: '2', LEAKWATCH_DATA_DIR: '/nonexistent/never-created' },
      version: 'test',
    };
    expect(await main(['serve'], io)).toBe(2);
    expect(stderr.join('\n')).toMatch(/LEAKWATCH_SERVE_PROCESSES: more than one process needs DATABASE_URL/);
  });
});

describe.runIf(process.env.DATABASE_URL)('serve as several processes (PostgreSQL, real processes)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let serve: ChildProcess | undefined;
  let port: number;
  const output: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    port = await freePort();
    serve = spawn(process.execPath, ['src/cli.ts', 'serve'], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: database.url,
        LEAKWATCH_SERVE_PROCESSES: '2',
        LEAKWATCH_DATABASE_POOL_SIZE: '3',
        LEAKWATCH_FINGERPRINT_KEY: 'serve-cluster-test-key-0123456789abcdef',
        LEAKWATCH_DATA_DIR: '/nonexistent/never-created',
        LEAKWATCH_LOG_LEVEL: 'warn',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    serve.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    serve.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  }, 60_000);

  afterAll(async () => {
    if (serve && serve.exitCode === null) {
      for (const pid of childrenOf(serve.pid!)) process.kill(pid, 'SIGKILL');
      serve.kill('SIGKILL');
    }
    await database?.drop();
  });

  it('runs N serve processes on one port, replaces one that dies, and stops them all on SIGTERM', async () => {
    const pid = serve!.pid!;
    const first = await until('two serve processes answering', async () => {
      const children = childrenOf(pid);
      return children.length === 2 && (await healthy(port)) ? children : undefined;
    });

    // One dies (kill -9): the other goes on answering, and another process takes its place.
    process.kill(first[0]!, 'SIGKILL');
    await until(
      'the port answering with one process left',
      async () => ((await healthy(port)) ? true : undefined),
      10_000,
    );
    const replaced = await until('a replacement process', async () => {
      const children = childrenOf(pid);
      return children.length === 2 && !children.includes(first[0]!) && (await healthy(port)) ? children : undefined;
    });
    expect(replaced).toContain(first[1]);
    expect(output.join('')).toContain('a serve process exited; starting another');

    // SIGTERM: every process stops gracefully and the parent exits 0.
    const exited = new Promise<number | null>((resolve) => serve!.once('exit', (code) => resolve(code)));
    serve!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(replaced.filter(isRunning)).toEqual([]);
    expect(await healthy(port)).toBe(false);
  }, 90_000);
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
