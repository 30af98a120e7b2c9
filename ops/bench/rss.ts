import fs from 'node:fs';

/** Resident set size of a process in bytes, from /proc (Linux), or undefined when unknown. */
export function residentBytes(pid: number): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

/** Samples the RSS of named processes every second; `peak()` gives the largest seen per name. */
export class RssSampler {
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly pids: () => ReadonlyMap<string, number>) {}

  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
    return this;
  }

  /** Peaks since the last reset, in MiB. */
  takePeaks(): Record<string, number> {
    this.sample();
    const out = Object.fromEntries(
      [...this.peaks].map(([name, bytes]) => [name, Math.round(bytes / 1048576)]),
    );
    this.peaks.clear();
    return out;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    for (const [name, pid] of this.pids()) {
      const bytes = residentBytes(pid);
      if (bytes !== undefined) this.peaks.set(name, Math.max(this.peaks.get(name) ?? 0, bytes));
    }
  }
}
