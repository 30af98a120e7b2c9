import { table } from '../bench/report-format.ts';
import { num } from './format.ts';
import { SETTINGS } from './measured.ts';
import type { CapacityModel } from './model.ts';

/** What each rate needs, side by side: the table README embeds. */
export function renderComparison(models: readonly CapacityModel[]): string {
  return table(
    [
      'events/s',
      'shards S',
      'Redis primaries Q',
      'workers W',
      'API processes',
      'Cassandra nodes',
      '… for CPU',
      `… for ${SETTINGS.retentionDays} days of data`,
      'hottest partition writes/s (table)',
    ],
    models.map((m) => {
      const hottest = m.tables.reduce((a, b) =>
        b.hottestWritesPerSecond > a.hottestWritesPerSecond ? b : a,
      );
      return [
        num(m.traffic.eventsPerSecond),
        num(m.shards.value),
        `${num(m.redis.queues)} (${num(m.redis.queuesForThroughput)} for throughput)`,
        num(m.workers.value),
        num(m.processes.apiProcesses),
        num(m.nodes.value),
        num(m.nodesForCpu),
        num(m.nodesForData),
        `${num(hottest.hottestWritesPerSecond)} (${hottest.schema.name})`,
      ];
    }),
  );
}
