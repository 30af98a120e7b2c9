import { expect } from 'chai';
import {
  MAX_BATCH_BYTES,
  MAX_BATCH_STATEMENTS,
  estimatedBytes,
  groupByPartition,
  packBatches,
  type PartitionWrite,
} from '../../../src/storage/partition-writes.ts';

const write = (partition: string, value = 'x'): PartitionWrite => ({
  query: 'INSERT …',
  params: [partition, value],
  partition,
});

describe('partition writes', () => {
  it('groups writes by partition, keeping the order each partition was first written in', () => {
    const groups = groupByPartition([write('a', '1'), write('b'), write('a', '2'), write('c')]);
    expect(groups.map((g) => g.map((w) => w.params.join('')))).to.deep.equal([
      ['a1', 'a2'],
      ['bx'],
      ['cx'],
    ]);
  });

  it('estimates bound values by their encoded size', () => {
    const w: PartitionWrite = {
      query: '',
      params: ['héllo', new Date(0), 7, true, Buffer.alloc(10)],
      partition: 'p',
    };
    expect(estimatedBytes(w)).to.equal(6 + 8 + 8 + 1 + 10);
  });

  it('cuts batches at the statement limit', () => {
    const writes = Array.from({ length: MAX_BATCH_STATEMENTS * 2 + 1 }, (_, i) => write(`p${i}`));
    const batches = packBatches(writes);
    expect(batches.map((b) => b.length)).to.deep.equal([
      MAX_BATCH_STATEMENTS,
      MAX_BATCH_STATEMENTS,
      1,
    ]);
    expect(batches.flat()).to.deep.equal(writes);
  });

  it('cuts batches before they pass the byte limit, and sends an oversized write alone', () => {
    const big = 'y'.repeat(MAX_BATCH_BYTES / 3);
    const huge = 'z'.repeat(MAX_BATCH_BYTES * 2);
    const writes = [
      write('a', big),
      write('a', big),
      write('a', big),
      write('a', huge),
      write('a'),
    ];
    const batches = packBatches(writes);
    for (const b of batches.filter((b) => b.length > 1)) {
      expect(b.reduce((n, w) => n + estimatedBytes(w), 0)).to.be.at.most(MAX_BATCH_BYTES);
    }
    expect(batches.map((b) => b.length)).to.deep.equal([2, 1, 1, 1]);
    expect(batches.flat()).to.deep.equal(writes);
  });

  it('sends nothing for no writes', () => {
    expect(packBatches([])).to.deep.equal([]);
  });
});
