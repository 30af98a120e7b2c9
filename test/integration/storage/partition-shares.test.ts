import { expect } from 'chai';
import pMap from 'p-map';
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

  async function hottestShare({ shards, ks, pipeline }: Awaited<ReturnType<typeof sharded>>) {
    const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 5 * MINUTE_MS;
    const batches: RawEvent[][] = [];
    for (let b = 0; b < 120; b++) {
      const batch: RawEvent[] = [];
      for (let i = 0; i < 5; i++) {
        const id = `share-${shards}-${b}-${i}`;
        batch.push(startEvent(id, `p-${id}`, 'FI', minute + (b * 5 + i) * 97));
        batch.push(endEvent(id, `p-${id}`, minute + MINUTE_MS));
      }
      batches.push(batch);
    }
    // The sampler runs while the writes go on; nodetool returns when its duration is over.
    const sampled = node.nodetool([
      'toppartitions',
      ks.keyspace,
      'start_facts_by_shard',
      '12000',
      '-a',
      'WRITES',
      '-k',
      '16',
    ]);
    await new Promise((r) => setTimeout(r, 3000));
    await pMap(batches, (b) => pipeline.processBatch(batchJob(b)), { concurrency: 4 });
    const counts = topWrites(await sampled);
    expect(counts.length, 'partitions sampled').to.be.greaterThan(0);
    const total = counts.reduce((a, b) => a + b, 0);
    return Math.max(...counts) / total;
  }

  it('gives the hottest partition a smaller share of the writes as the shards grow', async () => {
    // The keyspaces are made (and dropped) side by side; only the samplings, each of which must
    // see its own writes alone, run one after the other.
    const setups = await Promise.all([1, 2, 4].map(sharded));
    const shares: number[] = [];
    try {
      for (const setup of setups) shares.push(await hottestShare(setup));
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
