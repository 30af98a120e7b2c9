import { expect } from 'chai';
import { LocalCassandra } from '../../../ops/lib/cassandra-local.ts';
import { loadLocalSettings } from '../../../ops/lib/local-settings.ts';
import { MINUTE_MS } from '../../../src/domain/duration.ts';
import { migratedKeyspace } from '../../helpers/cassandra.ts';
import { startPipeline } from '../../helpers/counting.ts';
import { testConfig } from '../../helpers/env.ts';
import { batchJob, endEvent, startEvent, type RawEvent } from '../../helpers/events.ts';

/**
 * `nodetool toppartitions`' write counts, one per partition it lists (Cassandra 5.0 prints a table
 * `Table  Partition  Count  +/-` under "Frequency of writes by partition:").
 */
export function topWrites(output: string): number[] {
  const section =
    output.split(/Frequency of writes by partition:/)[1]?.split(/Frequency of/)[0] ?? '';
  const counts: number[] = [];
  for (const line of section.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || fields[0] === 'Table') continue;
    const count = Number(fields.at(-2));
    if (Number.isInteger(count)) counts.push(count);
  }
  return counts;
}

/**
 * The proof that sharding spreads the hot start facts: the same live minute of starts is written
 * into keyspaces with 1, 2 and 4 shards while Cassandra itself samples the writes of each
 * partition (`nodetool toppartitions`, over JMX); the hottest partition's share of the writes falls
 * as the shards grow.
 */
describe('shards of the start facts, as Cassandra counts the writes of each partition', function () {
  this.timeout(180_000);
  const node = new LocalCassandra(loadLocalSettings(), () => undefined);

  /** A keyspace with `shards` start-fact shards and a pipeline writing into it. */
  async function sharded(shards: number) {
    const config = testConfig({ CASSANDRA_START_SHARDS: String(shards) });
    const ks = await migratedKeyspace(config);
    return { shards, ks, pipeline: await startPipeline(config, ks.client) };
  }

  /**
   * Writes sessions into the keyspace while Cassandra samples its start facts, for as long as the
   * sampler runs: its window is covered by writes however long nodetool's JVM takes to start.
   */
  async function hottestShare({ shards, ks, pipeline }: Awaited<ReturnType<typeof sharded>>) {
    const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 5 * MINUTE_MS;
    let sampling = true;
    const sampled = node
      .nodetool([
        'toppartitions',
        ks.keyspace,
        'start_facts_by_shard',
        '6000',
        '-a',
        'WRITES',
        '-k',
        '16',
      ])
      .finally(() => (sampling = false));
    let next = 0;
    const batch = (): RawEvent[] =>
      Array.from({ length: 5 }, () => {
        const n = next++;
        const id = `share-${shards}-${n}`;
        // Every start in the same minute, so that the shards alone spread them.
        return [
          startEvent(id, `p-${id}`, 'FI', minute + (n % 600) * 97),
          endEvent(id, `p-${id}`, minute + MINUTE_MS),
        ];
      }).flat();
    const writer = async () => {
      while (sampling) await pipeline.processBatch(batchJob(batch()));
    };
    await Promise.all([writer(), writer(), writer(), writer()]);
    const counts = topWrites(await sampled);
    expect(counts.length, 'partitions sampled').to.be.greaterThan(0);
    const total = counts.reduce((a, b) => a + b, 0);
    return Math.max(...counts) / total;
  }

  it('gives the hottest partition a smaller share of the writes as the shards grow', async () => {
    // Each keyspace is sampled on its own table, so the three run side by side.
    const setups = await Promise.all([1, 2, 4].map(sharded));
    let shares: number[];
    try {
      shares = await Promise.all(setups.map(hottestShare));
    } finally {
      await Promise.all(
        setups.map(async ({ ks, pipeline }) => {
          await pipeline.close();
          await ks.drop();
        }),
      );
    }
    console.log(
      `      hottest start-fact partition's share of the writes: ${shares.map((s, i) => `${2 ** i} shard(s) ${(s * 100).toFixed(0)} %`).join(', ')}`,
    );
    expect(shares[0]).to.equal(1);
    expect(shares[1]).to.be.lessThan(shares[0]!).and.at.most(0.65);
    expect(shares[2]).to.be.lessThan(shares[1]!).and.at.most(0.4);
  });
});
