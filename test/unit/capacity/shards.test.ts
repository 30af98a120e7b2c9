import { expect } from 'chai';
import { chooseShards } from '../../../ops/capacity/choose.ts';
import { DEFAULT_INPUT, capacityModel, withinLimits } from '../../../ops/capacity/model.ts';
import { SCHEMA, partitionBytes, rowBytes } from '../../../ops/capacity/schema.ts';
import type { TableFigures } from '../../../ops/capacity/table-figures.ts';

const model = (eventsPerSecond: number, more: { shards?: number } = {}) =>
  capacityModel({ ...DEFAULT_INPUT, eventsPerSecond, ...more });
const table = (tables: readonly TableFigures[], name: string) => {
  const found = tables.find((t) => t.schema.name === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
};

describe('the capacity model: shards', () => {
  it('halves the hottest start-fact partition’s write rate and size when the shards double', () => {
    const ten = table(model(100_000, { shards: 10 }).tables, 'start_facts_by_shard');
    const twenty = table(model(100_000, { shards: 20 }).tables, 'start_facts_by_shard');
    // 100,000 events/s are 50,000 starts/s (half the events are starts): 5,000 per shard of ten.
    expect(ten.hottestWritesPerSecond).to.be.closeTo(5_000, 1);
    expect(twenty.hottestWritesPerSecond).to.be.closeTo(ten.hottestWritesPerSecond / 2, 1e-9);
    expect(twenty.largestRows).to.be.closeTo(ten.largestRows / 2, 1e-9);
    // A minute of one shard's starts: 60 × 2,500 rows.
    expect(twenty.largestRows).to.be.closeTo(60 * 2_500, 2);
  });

  it('chooses the fewest shards that keep a fact partition within its write rate', () => {
    const limits = { writesPerSecond: 5_000, bytes: 100e6 };
    expect(chooseShards(5_000, limits)).to.equal(1);
    expect(chooseShards(5_001, limits)).to.equal(2);
    expect(chooseShards(500_000, limits)).to.equal(100);
    expect(chooseShards(0.5, limits)).to.equal(1);
  });

  it('chooses more shards when a minute of facts would pass the partition size limit', () => {
    const facts = SCHEMA.start_facts_by_shard;
    const limits = { writesPerSecond: Infinity, bytes: 100e6 };
    const minute = 60 * 500_000 * rowBytes(facts);
    expect(chooseShards(500_000, limits)).to.equal(
      Math.ceil(minute / (100e6 - partitionBytes(facts))),
    );
    const chosen = chooseShards(500_000, limits);
    expect(minute / chosen + partitionBytes(facts)).to.be.at.most(100e6);
    expect(minute / (chosen - 1) + partitionBytes(facts)).to.be.above(100e6);
  });

  it('keeps every table within the limits at 10k, 100k and 1M events/s with the shards it chose', () => {
    for (const rate of [10_000, 100_000, 1_000_000]) {
      const m = model(rate);
      for (const t of m.tables)
        expect(withinLimits(m, t), `${t.schema.name} at ${rate}`).to.be.true;
    }
  });

  it('flags the fact partitions as over the limit at 1M events/s on one shard', () => {
    const m = model(1_000_000, { shards: 1 });
    const facts = table(m.tables, 'start_facts_by_shard');
    expect(facts.hottestWritesPerSecond).to.be.closeTo(500_000, 50);
    expect(withinLimits(m, facts)).to.be.false;
  });
});
