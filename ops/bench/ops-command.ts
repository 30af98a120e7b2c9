import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseCpuTicks } from './proc-cpu.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** How often a running command's CPU time is read: what is lost of its last moments. */
const CPU_SAMPLE_MS = 100;

export interface CommandRun {
  readonly seconds: number;
  /** User + system CPU of the command's process, read until just before it exits (Linux). */
  readonly cpuMs: number | null;
}

/**
 * Runs an ops command as a user would (`node --import tsx ops/SCRIPT ARGS`), its output appended
 * to `log`; resolves to its wall time once it exits 0, and given /proc's clock ticks per second
 * its CPU too. That is read from /proc while it runs — once it has exited, nothing is left to
 * read — so its last ≤ 100 ms go uncounted.
 */
export function runOpsCommand(
  log: string,
  script: string,
  args: string[],
  ticksPerSecond?: number,
): Promise<CommandRun> {
  const started = performance.now();
  const out = fs.openSync(log, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: ROOT,
    stdio: ['ignore', out, out],
  });
  let cpuMs: number | null = null;
  const sample = () => {
    if (ticksPerSecond === undefined) return;
    try {
      const ticks = parseCpuTicks(fs.readFileSync(`/proc/${child.pid}/stat`, 'utf8'));
      cpuMs = (ticks * 1000) / ticksPerSecond;
    } catch {
      // Not Linux, or the process has just exited: the last reading stands.
    }
  };
  const sampler = setInterval(sample, CPU_SAMPLE_MS);
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      clearInterval(sampler);
      fs.closeSync(out);
      if (code === 0) resolve({ seconds: (performance.now() - started) / 1000, cpuMs });
      else reject(new Error(`${script} exited with ${code}: see ${log}`));
    }),
  );
}
