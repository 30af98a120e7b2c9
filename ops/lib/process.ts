import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Runs a command to completion and returns its output; never throws for a non-zero exit. */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => {
      resolve({ code: null, stdout, stderr: stderr + err.message, missing: err.code === 'ENOENT' });
    });
    child.on('close', (code) => resolve({ code, stdout, stderr, missing: false }));
  });
}

/** Starts a long-running process that outlives this one, logging to `logFile`. */
export function spawnDetached(
  command: string,
  args: readonly string[],
  options: { cwd: string; logFile: string; pidFile: string },
): number {
  const out = fs.openSync(options.logFile, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  child.unref();
  fs.writeFileSync(options.pidFile, `${child.pid}\n`);
  return child.pid;
}

/**
 * The pid in `pidFile` when that process is alive — and, where /proc tells, its command line
 * contains `command` (a recycled pid of some other program is not ours).
 */
export function readPid(pidFile: string, command?: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
    if (!Number.isInteger(pid) || !isAlive(pid)) return undefined;
    return command === undefined || commandLine(pid)?.includes(command) !== false ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Deletes `pidFile` only if it still names `pid` (another process may have written its own since). */
export function removePidFile(pidFile: string, pid: number): void {
  try {
    if (fs.readFileSync(pidFile, 'utf8').trim() === String(pid))
      fs.rmSync(pidFile, { force: true });
  } catch {
    // already gone
  }
}

function commandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM, then SIGKILL when the process has not exited within `graceMs`; resolves once it has
 * exited. The SIGTERM is sent before the first await.
 */
export async function terminate(pid: number, graceMs: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  await awaitExit(pid, graceMs);
}

/** Waits for a process that was told to stop to exit; SIGKILL after `graceMs`. */
export async function awaitExit(pid: number, graceMs: number): Promise<void> {
  if (await waitFor(() => !isAlive(pid), graceMs, 200)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return; // exited just now
  }
  if (!(await waitFor(() => !isAlive(pid), 10_000, 100)))
    throw new Error(`process ${pid} did not exit after SIGKILL`);
}

/** Polls `check` until it returns true or `timeoutMs` passes; resolves to whether it succeeded. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(intervalMs);
  }
}
