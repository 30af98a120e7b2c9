import { expect } from 'chai';
import { DEFAULT_INPUT, capacityModel } from '../../../ops/capacity/model.ts';
import { TREE_LEVELS, rollupFigures, rowsPerRollupByGroup } from '../../../ops/capacity/rollup.ts';
import type { TableFigures } from '../../../ops/capacity/table-figures.ts';

const tableOf = (eventsPerSecond: number, shards: number, name: string): TableFigures => {
  const m = capacityModel({ ...DEFAULT_INPUT, eventsPerSecond, shards });
  const found = m.tables.find((t) => t.schema.name === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
};

describe('the capacity model: rollups', () => {
  it('lays the tree out as src/domain/time-tree.ts does: minute to 64 days in four groups', () => {
    expect(TREE_LEVELS.map((l) => l.name)).to.deep.equal([
      'minute',
      '5m',
      '15m',
      'hour',
      '4h',
      'day',
      '8d',
      '64d',
    ]);
    expect(TREE_LEVELS.map((l) => l.group)).to.deep.equal([1, 1, 1, 2, 2, 3, 3, 4]);
    expect(TREE_LEVELS.map((l) => l.blockSeconds / 86_400)).to.deep.equal([
      1 / 24,
      1 / 24,
      1 / 24,
      1,
      1,
      64,
      64,
      512,
    ]);
  });

  it('runs a busy shard’s rollup every 250 ms, each dirtying 1.25 seconds', () => {
    const busy = rollupFigures(5_000, 1, 250);
    expect(busy.perShardPerSecond).to.be.closeTo(4, 1e-9);
    expect(busy.perSecond).to.be.closeTo(4, 1e-9);
    expect(busy.dirtySecondsPerRollup).to.be.closeTo(1.25, 1e-9);
    // Each second is recounted so far by four rollups: 0.25 + 0.5 + 0.75 + 1 of its 5,000 facts.
    expect(busy.factRowsRead * busy.perShardPerSecond).to.be.closeTo(2.5 * 5_000, 1e-6);
    // Minute, 5-minute and 15-minute nodes share the hour's partition: three rows a rollup.
    expect(rowsPerRollupByGroup(busy).get(1)).to.be.closeTo(3, 0.01);
  });

  it('runs a quiet shard’s rollup about once per start', () => {
    const quiet = rollupFigures(0.01, 1, 250);
    expect(quiet.perShardPerSecond).to.be.closeTo(0.01, 1e-4);
    expect(quiet.startsPerRollup).to.be.closeTo(1, 0.01);
  });

  it('reads the seconds of every shard to sum a minute: S partitions per rollup, S² a second', () => {
    const s10 = rollupFigures(500_000, 10, 250);
    const s20 = rollupFigures(500_000, 20, 250);
    expect(s10.secondsPartitionsRead).to.be.closeTo(10 * (1 + 0.25 / 60), 1e-9);
    expect(s20.perSecond * s20.secondsPartitionsRead).to.be.closeTo(
      4 * s10.perSecond * s10.secondsPartitionsRead,
      1e-6,
    );
  });

  it('rewrites the global tree at a rate set by the shards, not by the events', () => {
    const at1M = tableOf(1_000_000, 100, 'start_count_rollups');
    const at2M = tableOf(2_000_000, 100, 'start_count_rollups');
    const twice = tableOf(1_000_000, 200, 'start_count_rollups');
    expect(at2M.hottestWritesPerSecond).to.be.closeTo(at1M.hottestWritesPerSecond, 1e-6);
    expect(twice.hottestWritesPerSecond).to.be.closeTo(2 * at1M.hottestWritesPerSecond, 1e-6);
    // 100 owners × 4 rollups/s × 3 rows into the hour's partition.
    expect(at1M.hottestWritesPerSecond).to.be.closeTo(1_200, 3);
  });

  it('writes a shard’s seconds partition at its owner’s rate alone', () => {
    const seconds = tableOf(1_000_000, 100, 'start_count_seconds');
    expect(seconds.hottestWritesPerSecond).to.be.closeTo(4 * 1.25, 1e-6);
    expect(seconds.largestRows).to.be.closeTo(60, 1e-6);
  });
});
