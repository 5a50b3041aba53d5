import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('leakwatch serve', () => {
  it('starts on embedded PGlite, answers /readyz, and exits 0 on SIGTERM', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LEAKWATCH_DATA_DIR: mkdtempSync(join(tmpdir(), 'lw-serve-')),
      PORT: '0',
    };
    delete env.DATABASE_URL;
    const child = spawn(process.execPath, ['src/cli.ts', 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in time:\n${output}`)), 60_000);
        child.stdout.on('data', () => {
          const line = output.split('\n').find((l) => l.includes('leakwatch is listening'));
          if (line) {
            clearTimeout(timer);
            resolve((JSON.parse(line) as { port: number }).port);
          }
        });
      });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(await ready.json()).toEqual({ ready: true });
      const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 90_000);
});
