/** One sample of a soak, taken every 10 s (ops/bench/soak/run.ts). */
export interface SoakSample {
  /** Seconds since the load started. */
  readonly t: number;
  readonly apiRssMiB: number;
  readonly workerRssMiB: number;
  /** p99 event-loop lag of each process, as its /metrics reports it (prom-client). */
  readonly apiLagMs: number;
  readonly workerLagMs: number;
  readonly redisUsedMiB: number;
  /** Cassandra's heap in use after a GC: the lowest `nodetool info` reading of the last 30 s. */
  readonly cassandraHeapMiB: number;
  readonly pendingCompactions: number;
  /** Of the requests answered in the window. */
  readonly postP99Ms: number;
  readonly getP99Ms: number;
  /** Batch jobs waiting, delayed or running. */
  readonly backlog: number;
  /** Requests that did not get their 202/200 in the window. */
  readonly errors: number;
  readonly accepted: number;
}

/** The series drawn and written, with their units. */
export const SERIES: readonly { key: keyof SoakSample; label: string }[] = [
  { key: 'apiRssMiB', label: 'API RSS (MiB)' },
  { key: 'workerRssMiB', label: 'worker RSS (MiB)' },
  { key: 'apiLagMs', label: 'API event-loop lag p99 (ms)' },
  { key: 'workerLagMs', label: 'worker event-loop lag p99 (ms)' },
  { key: 'redisUsedMiB', label: 'Redis used_memory (MiB)' },
  { key: 'cassandraHeapMiB', label: 'Cassandra heap after GC (MiB)' },
  { key: 'pendingCompactions', label: 'Cassandra pending compactions' },
  { key: 'postP99Ms', label: 'POST p99 (ms)' },
  { key: 'getP99Ms', label: 'GET p99 (ms)' },
  { key: 'backlog', label: 'backlog (jobs)' },
  { key: 'errors', label: 'errors (per 10 s)' },
];

export function toCsv(samples: readonly SoakSample[]): string {
  const keys = ['t', ...SERIES.map((s) => s.key), 'accepted'] as const;
  return [keys.join(','), ...samples.map((s) => keys.map((k) => s[k]).join(','))].join('\n') + '\n';
}
