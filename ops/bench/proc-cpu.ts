import fs from 'node:fs';
import { run } from '../lib/process.ts';

/**
 * utime + stime of one /proc/<pid>/stat line, in clock ticks. The second field is the command
 * name in parentheses and may itself hold spaces and parentheses, so the fields are counted from
 * the last `)`: state is field 3, utime field 14, stime field 15 (proc(5)).
 */
export function parseCpuTicks(stat: string): number {
  const close = stat.lastIndexOf(')');
  if (close < 0) throw new Error(`not a /proc/<pid>/stat line: ${stat.slice(0, 80)}`);
  const fields = stat
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isInteger(utime) || !Number.isInteger(stime))
    throw new Error(`no utime/stime in /proc/<pid>/stat: ${stat.slice(0, 80)}`);
  return utime + stime;
}

/** The clock ticks per second /proc counts in (USER_HZ): asked once; 100 where getconf is missing. */
export async function clockTicksPerSecond(): Promise<number> {
  const answer = await run('getconf', ['CLK_TCK']);
  const hz = Number(answer.stdout.trim());
  return answer.code === 0 && Number.isInteger(hz) && hz > 0 ? hz : 100;
}

/** CPU milliseconds per name; undefined where the process is unknown or not readable. */
export type CpuSnapshot = ReadonlyMap<string, number | undefined>;

/**
 * CPU time of named processes from /proc (Linux): user + system time of every thread, children
 * excluded. A name whose pid is undefined (a Redis or Cassandra on another host) stays unknown
 * rather than failing the run.
 */
export class CpuMeter {
  constructor(
    private readonly pids: ReadonlyMap<string, number | undefined>,
    private readonly ticksPerSecond: number,
  ) {}

  snapshot(): CpuSnapshot {
    return new Map([...this.pids].map(([name, pid]) => [name, this.cpuMs(pid)]));
  }

  private cpuMs(pid: number | undefined): number | undefined {
    if (pid === undefined) return undefined;
    try {
      const ticks = parseCpuTicks(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
      return (ticks * 1000) / this.ticksPerSecond;
    } catch {
      return undefined;
    }
  }
}

/** CPU milliseconds each process used between two snapshots; null where either is unknown. */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): Record<string, number | null> {
  return Object.fromEntries(
    [...after].map(([name, end]) => {
      const start = before.get(name);
      return [name, start === undefined || end === undefined ? null : end - start];
    }),
  );
}
