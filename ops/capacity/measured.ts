/**
 * Every figure the capacity model takes from a measurement or a stated policy, in one place, each
 * with where it was measured. When a benchmark is rerun, update the figure here and nothing else:
 * `npm run capacity` and docs/CAPACITY.md (regenerate its tables) follow. A figure not measured
 * yet says so (TODO(lead)); the model still uses it, and docs/CAPACITY.md lists it as estimated.
 */

/** Redis, one BullMQ queue on one primary. */
export const REDIS = {
  // docs/BENCHMARKS.md "One queue's throughput (issue 14)", 2026-12-02 (commit 269412b): 20,000
  // empty jobs on the local Redis (append-only, fsync always), 2 shared vCPUs, no-op processor.
  // Not in these figures: the done-record SET per job and the API's rate-limit script.
  addsPerSecond: 13_817,
  completionsPerSecond: 11_902,
  // docs/BENCHMARKS.md "Compact batch records (issue 11)", 2026-12-02: INFO used_memory over
  // 100,000 done batches of ten events, queue drained.
  doneRecordBytesKeyed: 227,
  doneRecordBytesUnkeyed: 181,
  waitingBatchBytes: 1_670,
} as const;

/**
 * CPU milliseconds per event, utime + stime from /proc: docs/BENCHMARKS.md "The leaner write path
 * (issue 10)", column "after", 2026-12-02, quick profile, live traffic at 2,000 events/s, one
 * Cassandra node (RF 1), everything on 2 shared vCPUs (AMD EPYC). The worker's figure includes
 * the rollup as it was then (one rollup path at ≤ 4/s for the whole service); the model adds the
 * sharded rollup's extra reads apart (ROLLUP_READS below).
 */
export const CPU_MS_PER_EVENT = {
  api: 0.113,
  worker: 0.125,
  // At 2,000 events/s this is mostly fixed per-second work (polling, events stream, fsync per
  // write); it implies ~13,500 events/s per Redis core, ten times below the queue's throughput
  // figure above. Printed as a cross-check, not used to size primaries. TODO(lead): measure a
  // primary saturated by the real API and workers.
  redis: 0.074,
  cassandra: 0.451,
} as const;

/**
 * Cassandra's CPU per unit of work, measured in isolation: docs/BENCHMARKS.md "Why the three
 * missed targets stay missed here: the profiles" (issue 10), 2026-12-02: a row in a batch 50–90 µs,
 * a partition in an `IN` read ~40 µs, a request ~360 µs.
 */
export const CASSANDRA_MICROS = {
  rowInBatch: 70,
  partitionInRead: 40,
  request: 360,
} as const;

/**
 * Rows one Cassandra node wrote per second, raw (no queue, no read-back, no rollup), alone on 2
 * quiet vCPUs: docs/BENCHMARKS.md "Both on the same quiet machine (2 Dec, 15:00–15:11 UTC)",
 * one node: 5,124 events/s at 2 rows per event.
 */
export const NODE_RAW_ROW_WRITES_PER_SECOND = 10_248;

/**
 * Worker time to read and add one full count node (246 countries): docs/DATA-MODEL.md "The time
 * tree", 2026-11-23: 64 nodes from 16 partitions summed in 2.2 ms (p50), i.e. ~34 µs a node. That
 * is wall time including Cassandra's answer, so an upper bound of the worker's CPU.
 * TODO(lead): measure the worker's CPU per node summed.
 */
export const WORKER_MICROS_PER_NODE_SUMMED = 34;

/**
 * Bytes Cassandra adds to the values of a row, a cell and a partition in its (uncompressed)
 * sstable format: row flags, size and liveness (timestamp, TTL, local deletion time as vints), a
 * length per variable cell, a partition header and index entry. Estimated from the format, not
 * measured. TODO(lead): measure (nodetool tablestats "Space used" with compression off ÷ rows,
 * after a known load).
 */
export const STORAGE_OVERHEAD_BYTES = {
  row: 20,
  cell: 2,
  partition: 30,
} as const;

/**
 * Stored bytes ÷ bytes on disk after Cassandra's compression (LZ4 by default). Not measured: 1
 * makes disk figures uncompressed, an upper bound. TODO(lead): measure ("SSTable Compression
 * Ratio" of nodetool tablestats after the bench's 1M-event load).
 */
export const COMPRESSION_RATIO = 1;

/** Policy: the limits the model holds every partition and process to. */
export const POLICY = {
  // DataStax, "Calculating partition size": keep a partition under 100 MB (and, an older rule of
  // thumb, 100,000 values; the model prints rows so that can be read off too).
  // https://docs.datastax.com/en/cassandra_win/2.2/cassandra/planning/planPlanningPartitionSize.html
  partitionBytes: 100e6,
  // Apache Cassandra documents no rate per partition, only "avoid hot partitions"; every write of
  // a partition lands on the same RF replicas. 5,000 row writes/s is half of what one whole node
  // took on 2 vCPUs (NODE_RAW_ROW_WRITES_PER_SECOND) and, at 50–90 µs a row, ≤ 0.45 core of each
  // replica: conservative for a production node. For comparison, Amazon Keyspaces (a managed
  // Cassandra-compatible service) throttles a partition at 1,000 writes/s of ≤ 1 kB:
  // https://docs.aws.amazon.com/keyspaces/latest/devguide/bp-partition-key-design.html
  // TODO(lead): measure one partition under many writers. Overridden by --partition-writes.
  partitionWritesPerSecond: 5_000,
  // A Redis primary runs at most at half its measured throughput: the measurement lacks the
  // done-record SET and the rate-limit script, and a failover or a backlog drain doubles load.
  redisHeadroom: 0.5,
  // Memory a primary may fill: on a 32 GiB host, half, since an AOF rewrite forks and copy-on-write
  // can take as much again. Overridden by --redis-memory-gib.
  redisMemoryBytes: 16 * 2 ** 30,
  // Processes and nodes are planned at 70 % of their cores: room for GC, compaction and bursts.
  cpuUtilisation: 0.7,
  // Cores of one Cassandra node: the production minimum of DataStax's "Capacity planning and
  // hardware selection for HCD deployments" (its Cassandra 5 distribution), docs.datastax.com/en/
  // hyper-converged-database/1.1/install/capacity-planning.html. Overridden by --cores-per-node.
  coresPerNode: 8,
  // Data one node holds: "DataStax recommends up to 2 TB of data per node" (same page, "Maximum
  // capacity per node"), with the free disk its compaction needs beside it; conservative for
  // Cassandra 5, which is run denser. Overridden by --data-per-node-tb.
  dataBytesPerNode: 2e12,
} as const;

/** The service's defaults that the model depends on (README, Configuration). */
export const SETTINGS = {
  // BATCH_KEEP_DONE_SECONDS: how long a done batch's record stays (status and idempotency).
  keepDoneSeconds: 86_400,
  // MAX_QUEUE_BACKLOG: waiting batches before 503 queue_full (assumed per queue).
  maxQueueBacklog: 100_000,
  // RETENTION_SECONDS: every row's TTL from its oldest event time.
  retentionDays: 365,
} as const;
