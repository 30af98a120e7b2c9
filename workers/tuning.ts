/**
 * The worker's fixed tuning: numbers that shape how hard one worker process drives Cassandra. They
 * are constants, not settings — changing one changes the load the store sees, so it goes through
 * review with a benchmark (docs/BENCHMARKS.md), not through an environment variable.
 */

/**
 * How long the first job of a micro-batch waits for the other jobs the worker holds before their
 * events are written and read back together (workers/pipeline/micro-batch.ts). The bigger the
 * micro-batch, the cheaper each event (issue 23, docs/BENCHMARKS.md: at 2,000 events/s, 100 ms
 * gathered ~220 events at 0.64 CPU-ms per event, 400 ms ~800 at 0.49, 800 ms ~1,600 at 0.46). It
 * adds to the end-to-end time only under steady traffic, up to 800 ms within the 2 s freshness
 * target (measured p99 1.46 s at 2,500 events/s); see the quiet time below for light traffic.
 */
export const MICRO_BATCH_LINGER_MS = 800;

/**
 * A micro-batch also starts when no job came for this long: a lone batch (light traffic, a test)
 * is written after 50 ms, not after the whole linger; under steady traffic jobs arrive far more
 * often than this and the micro-batch grows for the whole linger.
 */
export const MICRO_BATCH_QUIET_MS = 50;

/** Events at which a micro-batch starts at once: one bulk job (5,000 events) is one on its own. */
export const MICRO_BATCH_MAX_EVENTS = 2000;

/**
 * Micro-batches writing and reading at once; while all are busy the next one keeps gathering jobs,
 * so that under load micro-batches grow instead of piling work onto Cassandra. Live traffic needs
 * one or two; a worker that took a hundred bulk jobs at once would otherwise send all their
 * statements together, and Cassandra would time them out (measured: 201 jobs of 5,000 events did).
 */
export const MICRO_BATCHES_RUNNING = 3;

/**
 * Requests one micro-batch or one rollup level has in flight at once (grouped writes, reads of
 * views, slices or children). A request may be a batch of 200 statements: 3 micro-batches × 8 keep
 * under 5,000 statements queued at the node, well within its 2 s write timeout.
 */
export const REQUESTS_PER_STEP = 8;

/**
 * Cassandra requests the whole process has in flight at most; more wait in the process. Below the
 * driver's 2,048 per connection, so that the driver never refuses one as busy.
 */
export const MAX_REQUESTS_IN_FLIGHT = 1024;

/**
 * Requests one rollup has in flight on a level. One rollup runs at a time, and a backfill's
 * rollup recounts tens of thousands of seconds: measured on 20,000 seconds of history, 32 took
 * 7.9 s where 8 took 10.6 s, for the same Cassandra CPU.
 */
export const ROLLUP_REQUESTS_PER_LEVEL = 32;

/**
 * How long a shard's rollup waits after it is first asked for, and after the previous one ended,
 * before it takes the shard's marks (workers/counts/). Live traffic changes the same path of the
 * time tree (the current second up to its 64 days) in every rollup; at most four rollups a second
 * per shard rewrite it at most four times a second whatever the rate, and add at most 250 ms to a
 * batch's end-to-end time.
 */
export const ROLLUP_INTERVAL_MS = 250;

/**
 * How long the first job asking for its seconds to be counted waits for company: the jobs of one
 * micro-batch ask together, and share one round of marks and one rollup request.
 */
export const ROLLUP_LINGER_MS = 2;

/**
 * How long a micro-batch waits for the rollup of its marks before its jobs fail and are retried:
 * far longer than any rollup takes (a backlog's rollups recount thousands of seconds in a few
 * seconds), so that only a rollup that will not come — lost with a Redis failover, say — ends it.
 */
export const ROLLUP_WAIT_TIMEOUT_MS = 120_000;

/** Rollups of different shards one worker process runs at once. */
export const ROLLUPS_RUNNING = 4;

/**
 * How long a job of a newer payload version than this worker knows waits before it is offered
 * again: during a rolling upgrade a worker of the newer release takes it meanwhile; it is never
 * failed (workers/pipeline/decode.ts).
 */
export const NEWER_PAYLOAD_DELAY_MS = 5000;
