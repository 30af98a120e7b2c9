/** How long and how hard each phase runs. `full` is the documented run; `quick` is for routine use. */
export interface BenchProfile {
  readonly name: 'full' | 'quick' | 'smoke';
  readonly post: {
    readonly rates: readonly number[];
    readonly durationMs: number;
    readonly warmupMs: number;
  };
  readonly ingest: { readonly ladder: readonly number[]; readonly stepMs: number };
  readonly freshness: { readonly durationMs: number };
  readonly stored: { readonly events: number; readonly days: number };
  readonly get: {
    readonly ratePerSecond: number;
    readonly durationMs: number;
    readonly warmupMs: number;
  };
  readonly raw: { readonly sessions: number; readonly concurrency: number };
  readonly cost: {
    readonly ratePerSecond: number;
    readonly durationMs: number;
    readonly warmupMs: number;
    /** The warm-up goes on past warmupMs until Cassandra's JIT is quiet, up to this long. */
    readonly maxWarmupMs: number;
  };
  /** History through POST /v1/batches: a generated file, closed-loop senders, batches of 10. */
  readonly historical: { readonly events: number; readonly days: number; readonly senders: number };
  /** Processing cost per event for each backlog (batch jobs waiting when the worker starts). */
  readonly backlog: { readonly backlogs: readonly number[] };
  /** `--only redis-memory`: done batches per kind (keyed, not), and batches left waiting. */
  readonly redisMemory: { readonly batches: number; readonly waiting: number };
  /** `--only lifecycle`: how long each rebuild keeps the old generation after the switch. */
  readonly lifecycle: { readonly graceSeconds: number };
  /** GETs and live ingest side by side (`--only reads-under-ingest`). */
  readonly underIngest: {
    readonly eventsPerSecond: number;
    readonly getsPerSecond: number;
    readonly durationMs: number;
    readonly warmupMs: number;
  };
}

export const PROFILES: Record<BenchProfile['name'], BenchProfile> = {
  full: {
    name: 'full',
    post: { rates: [50, 100, 200, 400], durationMs: 30_000, warmupMs: 10_000 },
    ingest: { ladder: [1000, 1500, 2000, 2500, 3000, 3500, 4000, 5000, 6000], stepMs: 30_000 },
    freshness: { durationMs: 60_000 },
    stored: { events: 1_000_000, days: 30 },
    get: { ratePerSecond: 200, durationMs: 30_000, warmupMs: 3000 },
    raw: { sessions: 200_000, concurrency: 512 },
    cost: { ratePerSecond: 2000, durationMs: 60_000, warmupMs: 10_000, maxWarmupMs: 180_000 },
    historical: { events: 100_000, days: 7, senders: 8 },
    backlog: { backlogs: [10, 100, 1000, 5000] },
    redisMemory: { batches: 50_000, waiting: 10_000 },
    lifecycle: { graceSeconds: 5 },
    underIngest: {
      eventsPerSecond: 2000,
      getsPerSecond: 200,
      durationMs: 60_000,
      warmupMs: 10_000,
    },
  },
  quick: {
    name: 'quick',
    post: { rates: [100, 200], durationMs: 10_000, warmupMs: 5000 },
    ingest: { ladder: [2000, 3000, 4000, 5000, 6000], stepMs: 10_000 },
    freshness: { durationMs: 15_000 },
    stored: { events: 50_000, days: 30 },
    get: { ratePerSecond: 200, durationMs: 5000, warmupMs: 1000 },
    raw: { sessions: 20_000, concurrency: 512 },
    cost: { ratePerSecond: 2000, durationMs: 20_000, warmupMs: 5000, maxWarmupMs: 90_000 },
    // The same file as the full profile: the figure the issue asks for is this one.
    historical: { events: 100_000, days: 7, senders: 8 },
    backlog: { backlogs: [10, 100, 1000, 5000] },
    // The floor: figures over at least 100,000 done batches, quick or not.
    redisMemory: { batches: 50_000, waiting: 10_000 },
    lifecycle: { graceSeconds: 5 },
    underIngest: { eventsPerSecond: 2000, getsPerSecond: 200, durationMs: 20_000, warmupMs: 5000 },
  },
  smoke: {
    name: 'smoke',
    post: { rates: [20], durationMs: 1000, warmupMs: 200 },
    ingest: { ladder: [100], stepMs: 1500 },
    freshness: { durationMs: 1500 },
    stored: { events: 400, days: 3 },
    get: { ratePerSecond: 20, durationMs: 500, warmupMs: 100 },
    raw: { sessions: 200, concurrency: 64 },
    cost: { ratePerSecond: 100, durationMs: 1500, warmupMs: 300, maxWarmupMs: 300 },
    historical: { events: 400, days: 1, senders: 2 },
    backlog: { backlogs: [2, 20] },
    redisMemory: { batches: 200, waiting: 100 },
    lifecycle: { graceSeconds: 0 },
    underIngest: { eventsPerSecond: 100, getsPerSecond: 20, durationMs: 1000, warmupMs: 200 },
  },
};
