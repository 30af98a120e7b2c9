import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inheritedEnv } from '../../src/config/env.ts';
import { ensureBuilt, procfileCommand } from './build.ts';
import { waitFor } from './process.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A service process started exactly as the Procfile starts it (compiled JavaScript, built first), with the
 * given configuration in its environment: for the benchmark, and for the tests that signal and kill
 * real processes. Keeps the last 64 kB of its output for error reports.
 */
export class ServiceProcess {
  private output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly kind: 'web' | 'worker',
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-65_536);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
  }

  /**
   * `root`: the checkout to run, built; this one (built first) unless another release's
   * (test/helpers/previous-release.ts) is given.
   */
  static async start(
    kind: 'web' | 'worker',
    env: Record<string, string>,
    root: string = ROOT,
  ): Promise<ServiceProcess> {
    if (root === ROOT) await ensureBuilt();
    const [, ...args] = procfileCommand(kind, root);
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: inheritedEnv({ LOG_LEVEL: 'info', ...env }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const proc = new ServiceProcess(kind, child);
    const marker = kind === 'web' ? '"msg":"api listening"' : '"msg":"worker running"';
    const ready = await waitFor(
      () => proc.output.includes(marker) || child.exitCode !== null,
      30_000,
      50,
    );
    if (!ready || child.exitCode !== null) {
      child.kill('SIGKILL'); // never leave a half-started process behind
      throw new Error(`${kind} did not start:\n${proc.output}`);
    }
    return proc;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('no pid');
    return this.child.pid;
  }

  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  kill(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }
}
