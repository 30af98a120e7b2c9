import fs from 'node:fs';
import { parseCpuTicks } from './proc-cpu.ts';

/** Each thread's group (as named when read) and CPU milliseconds, by thread id. */
export type ThreadSnapshot = ReadonlyMap<string, { readonly group: string; readonly ms: number }>;

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
    const threads = new Map<string, { group: string; ms: number }>();
    if (this.pid === undefined) return threads;
    let tids: string[];
    try {
      tids = fs.readdirSync(`/proc/${this.pid}/task`);
    } catch {
      return threads;
    }
    for (const tid of tids) {
      try {
        const comm = fs.readFileSync(`/proc/${this.pid}/task/${tid}/comm`, 'utf8');
        const ticks = parseCpuTicks(fs.readFileSync(`/proc/${this.pid}/task/${tid}/stat`, 'utf8'));
        threads.set(tid, { group: threadGroup(comm), ms: (ticks * 1000) / this.ticksPerSecond });
      } catch {
        // The thread ended while it was read.
      }
    }
    return threads;
  }
}

/**
 * CPU ms each group used between two snapshots, largest first (groups that used none are left
 * out). Time is taken per thread and counted under the thread's later name: Cassandra's request,
 * mutation and read stages share one pool of threads that rename themselves by the stage they work
 * for, so a thread's time is the stage it served last.
 */
export function threadsBetween(
  before: ThreadSnapshot,
  after: ThreadSnapshot,
): { group: string; ms: number }[] {
  const groups = new Map<string, number>();
  for (const [tid, { group, ms }] of after) {
    const used = ms - (before.get(tid)?.ms ?? 0);
    if (used > 0) groups.set(group, (groups.get(group) ?? 0) + used);
  }
  return [...groups].map(([group, ms]) => ({ group, ms })).sort((a, b) => b.ms - a.ms);
}
