/**
 * The worker's fixed tuning: numbers that shape how hard one worker process drives Cassandra. They
 * are constants, not settings — changing one changes the load the store sees, so it goes through
 * review with a benchmark (docs/BENCHMARKS.md), not through an environment variable.
 */

/**
 * Cassandra statements one batch job has in flight at once (its fact writes, then its reads).
 * A default batch (MAX_BATCH_EVENTS 10) sends all its writes together; a large one (up to 1000)
 * cannot take the connection from the process's other jobs. With WORKER_CONCURRENCY 64 that is at
 * most 1,024 statements in flight, within the driver's 2,048 requests per connection.
 */
export const STATEMENTS_PER_JOB = 16;

/**
 * Time-tree nodes one rollup recomputes at once on one level (a read of the children, then a
 * write). One rollup runs at a time per process, so this is its whole share of the connection next
 * to the jobs' statements; a backfill dirties hundreds of seconds at once, live traffic a few.
 */
export const NODES_PER_LEVEL = 32;

/**
 * How long the first job asking for a rollup waits for company before the rollup starts. Jobs that
 * finish together then share one recount of their seconds instead of queueing one each; 2 ms is
 * small next to a job's own Cassandra round trips, so it adds little to a batch's latency.
 */
export const ROLLUP_LINGER_MS = 2;

/** How often a worker that stopped for a missing schema looks whether it is back. */
export const SCHEMA_RECHECK_MS = 5000;
