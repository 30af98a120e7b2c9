import { table } from '../bench/report-format.ts';
import { bytes, num, percent } from './format.ts';
import { NODE_RAW_ROW_WRITES_PER_SECOND, POLICY, REDIS, SETTINGS } from './measured.ts';
import { onDisk, perNode, type CapacityModel } from './model.ts';
import { quorum } from './processes.ts';
import { SCHEMA, rowBytes } from './schema.ts';

/** What one Cassandra node takes, against what it has. */
export function renderPerNode(m: CapacityModel): string {
  const writes = m.tables.reduce((sum, t) => sum + t.writesPerSecond, 0);
  const reads = m.tables.reduce((sum, t) => sum + t.partitionReadsPerSecond, 0);
  const perDay = m.tables.reduce((sum, t) => sum + t.bytesPerDay, 0);
  const n = m.nodes.value;
  const cores = m.input.coresPerNode;
  return table(
    ['one Cassandra node', 'value', 'against'],
    [
      [
        'replica row writes/s',
        num(perNode(m, writes)),
        // The raw figure is rows alone, on 2 vCPUs: scaled by cores, a ceiling to compare with.
        `one node wrote ${num(NODE_RAW_ROW_WRITES_PER_SECOND)} rows/s raw on 2 vCPUs: ` +
          `~${num((NODE_RAW_ROW_WRITES_PER_SECOND * cores) / 2)} on ${cores}`,
      ],
      [
        'partition reads/s by the write path',
        num((reads * quorum(m.input.rf)) / n),
        `LOCAL_QUORUM asks ${quorum(m.input.rf)} replicas`,
      ],
      [
        'CPU cores busy',
        num(m.processes.cassandraCores / n),
        `${cores} cores, planned at ${percent(POLICY.cpuUtilisation)}`,
      ],
      [
        `data at ${SETTINGS.retentionDays} days`,
        bytes(onDisk(perNode(m, perDay * SETTINGS.retentionDays))),
        `${bytes(m.input.dataBytesPerNode)} per node`,
      ],
    ],
  );
}

/** The rollups: how many, what each reads, and what that costs beside the per-event figures. */
export function renderRollups(m: CapacityModel): string {
  const r = m.rollup;
  const t = m.traffic;
  const secondRow = rowBytes(SCHEMA.start_count_seconds, 246);
  const nodeRow = rowBytes(SCHEMA.start_count_rollups, 246);
  const factRow = rowBytes(SCHEMA.start_facts_by_shard);
  const perRollup =
    r.factRowsRead * factRow + r.secondsRowsRead * secondRow + r.childRowsRead * nodeRow;
  return table(
    ['rollups (one owner per shard)', 'value'],
    [
      ['rollups/s, all shards', `${num(r.perSecond)} (${num(r.perShardPerSecond)} per shard)`],
      ['starts recounted per rollup', num(r.startsPerRollup)],
      [
        'partitions read per rollup',
        `${num(1 + r.secondsPartitionsRead + r.childSlicesRead.reduce((a, b) => a + b, 0))} ` +
          `(1 facts slice, ${num(r.secondsPartitionsRead)} seconds partitions for the minute, child slices)`,
      ],
      [
        'rows read per rollup',
        `${num(r.factRowsRead + r.secondsRowsRead + r.childRowsRead)} ` +
          `(${num(r.secondsRowsRead)} of them the minute's seconds over ${num(t.shards)} shards)`,
      ],
      ['bytes read/s, all rollups (blobs at most full)', bytes(perRollup * r.perSecond)],
      ['worker cores for the sums', num(m.processes.workerRollupCores)],
      ['Cassandra cores for rollup rows and reads', num(m.processes.cassandraRollupCores)],
    ],
  );
}

/** The queues: load per primary against the measured figures, and Redis memory. */
export function renderRedis(m: CapacityModel): string {
  const r = m.redis;
  const perPrimary = r.addsPerSecond / r.queues;
  const cpuPrimaries = m.processes.redisCoresByCpuFigure / POLICY.cpuUtilisation;
  return table(
    ['Redis', 'value'],
    [
      ['adds/s = completions/s (batches + rollup jobs)', num(r.addsPerSecond)],
      ['primaries (one per queue)', num(r.queues)],
      [
        'per primary',
        `${num(perPrimary)} adds/s and completions/s: ${percent(r.utilisation)} of the measured ` +
          `${num(REDIS.addsPerSecond)} adds/s, ${num(REDIS.completionsPerSecond)} completions/s ` +
          `(planned at ≤ ${percent(POLICY.redisHeadroom)})`,
      ],
      [
        'memory per primary',
        `${bytes(r.doneRecordBytesPerPrimary)} of done records (${num(m.input.keepDoneSeconds)} s ` +
          `at ${REDIS.doneRecordBytesKeyed} B) + ${bytes(r.backlogBytesPerPrimary)} of full backlog ` +
          `(${num(SETTINGS.maxQueueBacklog)} batches at ${num(REDIS.waitingBatchBytes)} B); ` +
          `budget ${num(m.input.redisMemoryBytes / 2 ** 30)} GiB`,
      ],
      [
        'cross-check: Redis CPU per event',
        `${num(m.processes.redisCoresByCpuFigure)} cores → ${num(Math.ceil(cpuPrimaries))} primaries ` +
          `if the 2,000 events/s figure held at scale (it is mostly fixed per-second work)`,
      ],
    ],
  );
}

/** The read side: bounded by the tree's layout above the seconds, which sharding leaves global. */
export function renderReadSide(): string {
  return table(
    ['read (unchanged by shards)', 'partitions', 'rows'],
    [
      ['`GET /v1/countries/starts?hours=X`', '≤ 8', '≤ 67 nodes, ≤ 99 kB of counts, any X'],
      ['`GET /v1/countries/{c}/starts?hours=X`', '≤ 3', 'hours with starts in X, + ≤ 14 nodes'],
      ['`GET /v1/players/{id}/sessions`', '1', '≤ 20'],
    ],
  );
}
