import { table } from '../bench/report-format.ts';
import { bytes, num, percent } from './format.ts';
import { POLICY, SETTINGS } from './measured.ts';
import { onDisk, perNode, withinLimits, type CapacityModel, type Choice } from './model.ts';
import { renderRedis, renderReadSide, renderRollups, renderPerNode } from './render-more.ts';

/** The whole report: what it needs, then every table and process behind it, in Markdown. */
export function renderModel(m: CapacityModel): string {
  const t = m.traffic;
  return [
    `### ${num(t.eventsPerSecond)} events/s`,
    '',
    `${num(t.startsPerSecond)} starts/s and ${num(t.completedPerSecond)} completed sessions/s ` +
      `(the public data set's shares), ${num(m.redis.batchesPerSecond)} batches/s of ` +
      `${t.shape.eventsPerBatch} events; RF ${m.input.rf}, ${num(m.nodes.value)} Cassandra nodes.`,
    '',
    renderNeeds(m),
    '',
    renderTables(m),
    '',
    renderPerNode(m),
    '',
    renderRollups(m),
    '',
    renderRedis(m),
    '',
    renderReadSide(),
  ].join('\n');
}

const how = (c: Choice, reason: string) =>
  c.chosen ? `chosen: ${reason}` : `given (the model would choose ${num(c.model)})`;

export function renderNeeds(m: CapacityModel): string {
  const p = m.processes;
  const r = m.redis;
  const limit = num(m.input.partitionWritesPerSecond);
  return table(
    ['needs', 'value', 'why'],
    [
      [
        'Cassandra nodes',
        num(m.nodes.value),
        `${how(m.nodes, 'the larger of CPU and data')}; CPU needs ${num(m.nodesForCpu)} ` +
          `(${num(p.cassandraCores)} cores at ${percent(POLICY.cpuUtilisation)} of ` +
          `${m.input.coresPerNode} per node), a year of data ${num(m.nodesForData)} ` +
          `(${bytes(m.steadyStateBytes)} at ${bytes(m.input.dataBytesPerNode)} per node)`,
      ],
      [
        'shards S',
        num(m.shards.value),
        how(
          m.shards,
          `fewest keeping a (minute, shard) fact partition ≤ ${limit} writes/s and ≤ 100 MB`,
        ),
      ],
      [
        'queues Q (Redis primaries)',
        num(r.queues),
        `${how(queueChoice(r), 'the larger of')} throughput ` +
          `${num(r.queuesForThroughput)}, done records ${num(r.queuesForMemory)}`,
      ],
      [
        'workers W',
        num(m.workers.value),
        `${how(m.workers, '1 core each')}: ${num(p.workerCores)} cores needed ` +
          `(${num(p.workerRollupCores)} of them summing shards' seconds)`,
      ],
      ['API processes', num(p.apiProcesses), `1 core each: ${num(p.apiCores)} cores needed`],
    ],
  );
}

const queueChoice = (r: CapacityModel['redis']): Choice => ({
  value: r.queues,
  chosen: r.chosen,
  model: Math.max(r.queuesForThroughput, r.queuesForMemory),
});

export function renderTables(m: CapacityModel): string {
  const days = SETTINGS.retentionDays;
  return [
    `Cassandra tables (rows counted once; "per node" is × RF ${m.input.rf} ÷ ${num(m.nodes.value)} nodes; ` +
      `the hottest partition's writes land on all RF replicas; limits ${num(m.input.partitionWritesPerSecond)} writes/s and 100 MB per partition)`,
    '',
    table(
      [
        'table',
        'partition',
        'rows written/s',
        'partitions written/s',
        'hottest: writes/s',
        'hottest: reads/s',
        'largest partition',
        'rows/day per node',
        'bytes/day per node',
        `per node at ${days} days`,
        'within limits',
      ],
      m.tables.map((t) => [
        t.schema.name,
        t.schema.partitionKey,
        num(t.writesPerSecond),
        num(t.partitionsWrittenPerSecond),
        num(t.hottestWritesPerSecond),
        num(t.hottestReadsPerSecond),
        `${num(t.largestRows)} rows, ${bytes(t.largestBytes)}`,
        num(perNode(m, t.rowsPerDay)),
        bytes(onDisk(perNode(m, t.bytesPerDay))),
        bytes(onDisk(perNode(m, t.bytesPerDay * days))),
        withinLimits(m, t) ? 'yes' : '**no**',
      ]),
    ),
  ].join('\n');
}
