import { expect } from 'chai';
import {
  MINUTES_PER_READ,
  countDifferences,
  describeCounts,
  describeNode,
  hourRowDifferences,
  isWrong,
  minuteReads,
  sameCounts,
} from '../../../ops/rebuild/count-differences.ts';
import { HOUR_LEVEL } from '../../../src/domain/time-tree.ts';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));
const at = (version: number, entries: Record<string, number>) => ({
  counts: counts(entries),
  version,
});

describe('checking a rebuilt generation of the starts views', () => {
  it('reads each minute of a page once per shard, in groups the store takes in one request', () => {
    const partitions = [
      { minute: 2 * MINUTE, shard: 0 },
      { minute: MINUTE, shard: 0 },
      { minute: MINUTE, shard: 1 },
      { minute: 2 * MINUTE, shard: 0 }, // a partition a page names twice
    ];
    expect(minuteReads(partitions)).to.deep.equal([
      { shard: 0, minutes: [MINUTE, 2 * MINUTE] },
      { shard: 1, minutes: [MINUTE] },
    ]);
    const many = Array.from({ length: MINUTES_PER_READ + 1 }, (_, i) => ({
      minute: i * MINUTE,
      shard: 3,
    }));
    expect(minuteReads(many).map((r) => r.minutes.length)).to.deep.equal([MINUTES_PER_READ, 1]);
  });

  it('takes a zero and a missing country for the same count, and any other difference for one', () => {
    expect(sameCounts(counts({ FI: 2, SE: 0 }), counts({ FI: 2 }))).to.be.true;
    expect(sameCounts(undefined, counts({ FI: 0 }))).to.be.true;
    expect(sameCounts(counts({ FI: 2 }), counts({ FI: 3 }))).to.be.false;
    expect(sameCounts(counts({ FI: 2 }), undefined)).to.be.false;
    expect(sameCounts(counts({ FI: 2 }), counts({ FI: 2, SE: 1 }))).to.be.false;
  });

  it('holds a stored count wrong when it differs, unless it was written later than what was read', () => {
    expect(isWrong(at(3, { FI: 2 }), at(3, { FI: 2 }))).to.be.false;
    // A stale version with the same counts: the view is right.
    expect(isWrong(at(3, { FI: 2 }), at(2, { FI: 2, SE: 0 }))).to.be.false;
    expect(isWrong(at(3, { FI: 2 }), at(2, { FI: 1 }))).to.be.true;
    expect(isWrong(at(3, { FI: 2 }), at(3, { FI: 1 }))).to.be.true;
    // A worker counted more facts after the read: its write is newer, and wins anyway.
    expect(isWrong(at(3, { FI: 2 }), at(4, { FI: 3 }))).to.be.false;
    expect(isWrong(at(3, { FI: 2 }), undefined)).to.be.true;
    expect(isWrong(at(3, { FI: 0 }), undefined)).to.be.false;
    // A count where the read found nothing.
    expect(isWrong(undefined, at(1, { FI: 1 }))).to.be.true;
    expect(isWrong(undefined, at(1, { FI: 0 }))).to.be.false;
  });

  it('names every key whose stored count is wrong, on either side, leaving out the keys it is told to', () => {
    const expected = new Map([
      [1, at(2, { FI: 1 })],
      [2, at(2, { SE: 2 })],
      [3, at(2, { NO: 1 })],
      [5, at(2, { IS: 1 })],
    ]);
    const stored = new Map([
      [1, at(2, { FI: 1 })],
      [2, at(2, { SE: 5 })],
      [5, at(9, { IS: 2 })], // written after the read
    ]);
    expect(
      countDifferences(
        expected,
        stored,
        (k) => `node ${k}`,
        (k) => k === 3,
      ),
    ).to.deep.equal(['node 2: stored {SE: 5}, expected {SE: 2}']);
    expect(countDifferences(expected, new Map(), (k) => `node ${k}`)).to.have.length(4);
  });

  it('describes counts and nodes in a stable, readable form', () => {
    expect(describeCounts(counts({ SE: 1, FI: 2, NO: 0 }))).to.equal('{FI: 2, SE: 1}');
    expect(describeCounts(undefined)).to.equal('{}');
    expect(describeNode(HOUR_LEVEL, Date.UTC(2026, 11, 4, 10))).to.equal(
      'hour 2026-12-04T10:00:00.000Z',
    );
  });

  it('finds the hours whose row of a country is wrong for its hour node, a row or a count missing included', () => {
    const nodes = new Map([
      [0, at(5, { FI: 2, SE: 1 })],
      [HOUR, at(5, { FI: 3 })],
      [2 * HOUR, at(5, { SE: 4, FI: 0 })],
      [3 * HOUR, at(5, { FI: 1 })],
      [4 * HOUR, at(5, { FI: 1 })],
    ]);
    const rows = new Map([
      [0, { starts: 2, version: 5 }], // right
      [HOUR, { starts: 999, version: 4 }], // altered, older than its node
      [2 * HOUR, { starts: 0, version: 5 }], // a zero where the node has a zero
      // 3 h: row missing
      [4 * HOUR, { starts: 2, version: 6 }], // a rollup's newer write, after the node was read
    ]);
    expect(hourRowDifferences('FI', nodes, rows)).to.deep.equal([HOUR, 3 * HOUR]);
    expect(
      hourRowDifferences('SE', nodes, new Map([[0, { starts: 1, version: 5 }]])),
    ).to.deep.equal([2 * HOUR]);
    // A row of a country its node does not hold, or of an hour without a node, is wrong.
    const strays = new Map([
      [0, { starts: 4, version: 1 }],
      [7 * HOUR, { starts: 1, version: 9 }],
    ]);
    expect(hourRowDifferences('DK', nodes, strays)).to.deep.equal([0, 7 * HOUR]);
  });
});
