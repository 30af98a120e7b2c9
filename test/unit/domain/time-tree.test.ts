import { expect } from 'chai';
import fc from 'fast-check';
import {
  HOUR_LEVEL,
  LEVELS,
  MINUTE_LEVEL,
  TOP_LEVEL,
  byPartition,
  childrenOf,
  decompose,
  nodeAt,
  parentOf,
  partitionOf,
  spanOf,
  type TreeNode,
} from '../../../src/domain/time-tree.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const T = Date.parse('2026-11-23T00:00:00Z');

function expectTiling(nodes: readonly TreeNode[], from: number, to: number): void {
  let cursor = from;
  for (const node of nodes) {
    expect(node.start, `node ${iso(node.start)} at level ${node.level}`).to.equal(cursor);
    expect(node.start % spanOf(node.level)).to.equal(0);
    cursor += spanOf(node.level);
  }
  expect(cursor).to.equal(to);
}

describe('time tree', () => {
  it('has levels whose spans each divide the next', () => {
    for (let level = 1; level < LEVELS.length; level++) {
      expect(spanOf(level) % spanOf(level - 1)).to.equal(0);
    }
    expect(spanOf(HOUR_LEVEL)).to.equal(3_600_000);
    expect(spanOf(MINUTE_LEVEL)).to.equal(MINUTE);
  });

  it('stores minute to 15-minute nodes by hour, hour and 4-hour nodes by day, days and 8 days by 64 days', () => {
    const t = Date.parse('2026-11-23T10:07:30Z');
    const hour = Date.parse('2026-11-23T10:00:00Z');
    const day = Date.parse('2026-11-23T00:00:00Z');
    for (const level of [1, 2, 3])
      expect(partitionOf(nodeAt(level, t))).to.deep.equal({ group: 1, block: hour });
    for (const level of [4, 5])
      expect(partitionOf(nodeAt(level, t))).to.deep.equal({ group: 2, block: day });
    for (const level of [6, 7])
      expect(partitionOf(nodeAt(level, t)).block % (64 * DAY)).to.equal(0);
    expect(partitionOf(nodeAt(TOP_LEVEL, t)).block % (512 * DAY)).to.equal(0);
    // Seconds are stored per shard of the start facts, apart from the tree's table.
    expect(() => partitionOf(nodeAt(0, t))).to.throw(RangeError);
  });

  it('keeps the children of every node above the minute in one partition, as one slice of its span', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: TOP_LEVEL }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        (level, t) => {
          const node = nodeAt(level, t);
          const children = childrenOf(node);
          expect(children.level).to.equal(level - 1);
          expect([children.from, children.to]).to.deep.equal([
            node.start,
            node.start + spanOf(level),
          ]);
          for (let c = children.from; c < children.to; c += spanOf(level - 1)) {
            expect(partitionOf({ level: level - 1, start: c })).to.deep.equal(children.partition);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(parentOf(nodeAt(MINUTE_LEVEL, 0)).level).to.equal(2);
    expect(() => childrenOf(nodeAt(MINUTE_LEVEL, 0))).to.throw(RangeError);
  });

  it('has no parent above the top level', () => {
    expect(() => parentOf(nodeAt(TOP_LEVEL, T))).to.throw(RangeError);
  });

  it('decomposes one minute into one minute node', () => {
    expect(decompose(T, T + MINUTE)).to.deep.equal([{ level: MINUTE_LEVEL, start: T }]);
  });

  it('decomposes a whole aligned day into one day node', () => {
    expect(decompose(T, T + DAY)).to.deep.equal([{ level: 6, start: T }]);
  });

  it('decomposes 10:58-12:03 into minutes, one hour and minutes', () => {
    const from = Date.parse('2026-11-23T10:58:00Z');
    const to = Date.parse('2026-11-23T12:03:00Z');
    const nodes = decompose(from, to);
    expect(
      nodes.map((n) => `${LEVELS[n.level]!.name}@${iso(n.start).slice(11, 16)}`),
    ).to.deep.equal([
      'minute@10:58',
      'minute@10:59',
      'hour@11:00',
      'minute@12:00',
      'minute@12:01',
      'minute@12:02',
    ]);
  });

  it('returns nothing for an empty window and refuses unaligned ends', () => {
    expect(decompose(T, T)).to.deep.equal([]);
    expect(() => decompose(T + 1, T + MINUTE)).to.throw(RangeError);
  });

  it('stops at the given top level (partial hours use levels below the hour)', () => {
    const from = Date.parse('2026-11-23T10:01:00Z');
    const nodes = decompose(from, Date.parse('2026-11-23T11:00:00Z'), MINUTE_LEVEL, HOUR_LEVEL - 1);
    expect(nodes.every((n) => n.level < HOUR_LEVEL)).to.be.true;
    expectTiling(nodes, from, Date.parse('2026-11-23T11:00:00Z'));
    expect(nodes).to.have.length(4 + 2 + 3);
  });

  it('tiles every minute-aligned window of up to a year exactly, with at most 67 nodes in 8 partitions', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 * 365 * 1440 }),
        fc.integer({ min: 1, max: 365 * 1440 }),
        (startMinute, lengthMinutes) => {
          const from = T - startMinute * MINUTE;
          const to = from + lengthMinutes * MINUTE;
          const nodes = decompose(from, to);
          expectTiling(nodes, from, to);
          expect(nodes.length).to.be.at.most(67);
          expect(byPartition(nodes).length).to.be.at.most(8);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('uses as many nodes for a full year as its worst case needs, independent of where it starts', () => {
    let most = 0;
    for (let shift = 0; shift < 400; shift++) {
      const to = T + shift * 997 * MINUTE;
      most = Math.max(most, decompose(to - 365 * DAY, to).length);
    }
    expect(most).to.be.within(20, 67);
  });

  it('reads the nodes of a partial hour from that hour’s one partition', () => {
    const from = Date.parse('2026-11-23T10:01:00Z');
    const groups = byPartition(
      decompose(from, Date.parse('2026-11-23T11:00:00Z'), MINUTE_LEVEL, HOUR_LEVEL - 1),
    );
    expect(groups).to.have.length(1);
    expect(groups[0]!.partition).to.deep.equal({
      group: 1,
      block: Date.parse('2026-11-23T10:00:00Z'),
    });
    expect(groups[0]!.nodes).to.have.length(9);
  });
});
