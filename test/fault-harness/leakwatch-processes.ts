import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type Role = 'serve' | 'worker';

/** A process that ended without being asked to (what the fault tests must not see). */
export interface UnexpectedExit {
  name: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of its output, to say why. */
  tail: string;
}

interface Running {
  name: string;
  role: Role;
  child: ChildProcess;
  output: string;
  /** Set when the harness killed or stopped it on purpose. */
  expected: boolean;
  exited: Promise<void>;
}

/**
 * Real `leakwatch serve` / `leakwatch worker` child processes (`node
 * src/cli.ts …` with the Node that runs the harness, i.e. Node 24), started,
 * SIGKILLed and restarted by name. Any exit the harness did not cause is
 * recorded in `unexpectedExits` with the end of the process's output.
 */
export class LeakwatchProcesses {
  readonly unexpectedExits: UnexpectedExit[] = [];
  readonly #env: NodeJS.ProcessEnv;
  readonly #running = new Map<string, Running>();
  kills = 0;

  constructor(env: NodeJS.ProcessEnv) {
    this.#env = env;
  }

  names(role?: Role): string[] {
    return [...this.#running.values()].filter((r) => role === undefined || r.role === role).map((r) => r.name);
  }

  /** Starts `name` with `role`; for `serve`, resolves once it listens (and /readyz answers 200). */
  async start(name: string, role: Role, timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, ['src/cli.ts', role], {
      cwd: ROOT,
      env: this.#env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const running: Running = {
      name,
      role,
      child,
      output: '',
      expected: false,
      exited: new Promise<void>((resolve) => child.once('exit', () => resolve())),
    };
    const keep = (chunk: Buffer) => {
      // Only the tail matters for a post-mortem; keep memory bounded.
      running.output = (running.output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    child.once('exit', (code, signal) => {
      if (this.#running.get(name) === running) this.#running.delete(name);
      if (!running.expected) this.unexpectedExits.push({ name, code, signal, tail: running.output.slice(-4000) });
    });
    this.#running.set(name, running);
    if (role === 'serve') await this.#waitListening(running, timeoutMs);
    else await this.#waitWorking(running, timeoutMs);
  }

  async #waitListening(running: Running, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!running.output.includes('leakwatch is listening')) {
      if (running.child.exitCode !== null || running.child.signalCode !== null)
        throw new Error(`${running.name} exited while starting:\n${running.output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`${running.name} did not listen in time:\n${running.output}`);
      await sleep(50);
    }
  }

  /** A worker has no port; it is taken as started once it logged its start line (or after a short grace). */
  async #waitWorking(running: Running, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + Math.min(timeoutMs, 8_000);
    while (!running.output.includes('re-verification of rotated credentials') && Date.now() < deadline) {
      if (running.child.exitCode !== null || running.child.signalCode !== null)
        throw new Error(`${running.name} exited while starting:\n${running.output.slice(-4000)}`);
      await sleep(50);
    }
  }

  /** kill -9, as a crash would. */
  async kill(name: string): Promise<void> {
    const running = this.#running.get(name);
    if (!running) return;
    running.expected = true;
    this.kills++;
    running.child.kill('SIGKILL');
    await running.exited;
  }

  /** SIGTERM (graceful), then SIGKILL after `graceMs`. */
  async stop(name: string, graceMs = 25_000): Promise<void> {
    const running = this.#running.get(name);
    if (!running) return;
    running.expected = true;
    running.child.kill('SIGTERM');
    const timer = setTimeout(() => running.child.kill('SIGKILL'), graceMs);
    await running.exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.names().map((n) => this.stop(n)));
  }

  /** Whether `name` is running right now. */
  isRunning(name: string): boolean {
    return this.#running.has(name);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
