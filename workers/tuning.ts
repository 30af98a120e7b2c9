/**
 * The worker's fixed tuning: numbers that shape how hard one worker process drives Cassandra. They
 * are constants, not settings — changing one changes the load the store sees, so it goes through
 * review with a benchmark (docs/BENCHMARKS.md), not through an environment variable.
 */

/**
 * How long the first job of a micro-batch waits for the other jobs the worker holds before their
 * events are written and read back together (workers/micro-batch.ts). Under live traffic 20 ms
 * gathers a few jobs, whose facts then share requests; it is small next to the rollup interval.
 */
export const MICRO_BATCH_LINGER_MS = 20;

/** Events at which a micro-batch starts at once: one bulk job (5,000 events) is one on its own. */
export const MICRO_BATCH_MAX_EVENTS = 2000;

/**
 * Requests one micro-batch or one rollup level has in flight at once (grouped writes, reads of
 * views, slices or children).
 */
export const REQUESTS_PER_STEP = 32;

/**
 * Cassandra requests the whole process has in flight at most; more wait in the process. Below the
 * driver's 2,048 per connection, so that the driver never refuses one as busy.
 */
export const MAX_REQUESTS_IN_FLIGHT = 1024;

/**
 * How long the first job asking for a rollup waits for company before the rollup starts. Jobs that
 * finish together then share one recount of their seconds instead of queueing one each.
 */
export const ROLLUP_LINGER_MS = 2;

/**
 * The least time between the starts of two rollups. Live traffic changes the same path of the time
 * tree (the current second up to its 64 days) in every rollup; four rollups a second rewrite it
 * four times a second whatever the rate, and add at most 250 ms to a batch's end-to-end time.
 */
export const ROLLUP_INTERVAL_MS = 250;

/** How often a worker that stopped for a missing schema looks whether it is back. */
export const SCHEMA_RECHECK_MS = 5000;
