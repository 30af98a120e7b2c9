import fs from 'node:fs';
import { parseCpuTicks } from './proc-cpu.ts';

/** CPU milliseconds per thread group of one process (e.g. `Native-Transport-Requests`). */
export type ThreadSnapshot = ReadonlyMap<string, number>;

/**
 * A thread's group: its name without the pool index Cassandra and the JVM append
 * (`ReadStage-3` → `ReadStage`, `GC Thread#1` → `GC Thread`). Linux keeps the first 15 bytes of a
 * thread's name, so a group is named by that prefix.
 */
export function threadGroup(comm: string): string {
  return comm.trim().replace(/[-#:_ ]*\d+$/, '') || comm.trim();
}

/**
 * Per-thread CPU time of a process, summed by thread group, from /proc/<pid>/task (Linux): where
 * a JVM spends its cores (the Cassandra node's request threads, commit log, compaction, JIT, GC).
 * A thread that ends between two snapshots takes its time with it, so the groups are a profile,
 * not an account; the process total stays with proc-cpu.ts.
 */
export class ThreadMeter {
  constructor(
    private readonly pid: number | undefined,
    private readonly ticksPerSecond: number,
  ) {}

  snapshot(): ThreadSnapshot {
    const groups = new Map<string, number>();
    if (this.pid === undefined) return groups;
    let tids: string[];
    try {
      tids = fs.readdirSync(`/proc/${this.pid}/task`);
    } catch {
      return groups;
    }
    for (const tid of tids) {
      try {
        const comm = fs.readFileSync(`/proc/${this.pid}/task/${tid}/comm`, 'utf8');
        const ticks = parseCpuTicks(fs.readFileSync(`/proc/${this.pid}/task/${tid}/stat`, 'utf8'));
        const group = threadGroup(comm);
        groups.set(group, (groups.get(group) ?? 0) + (ticks * 1000) / this.ticksPerSecond);
      } catch {
        // The thread ended while it was read.
      }
    }
    return groups;
  }
}

/** CPU ms each group used between two snapshots (groups that used none are left out), largest first. */
export function threadsBetween(
  before: ThreadSnapshot,
  after: ThreadSnapshot,
): { group: string; ms: number }[] {
  return [...after]
    .map(([group, end]) => ({ group, ms: end - (before.get(group) ?? 0) }))
    .filter((t) => t.ms > 0)
    .sort((a, b) => b.ms - a.ms);
}
