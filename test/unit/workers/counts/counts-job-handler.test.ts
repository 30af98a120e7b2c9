import { expect } from 'chai';
import type { DirtyShards } from '../../../../workers/counts/dirty-seconds.ts';
import { createCountsJobHandler } from '../../../../workers/counts/counts-job-handler.ts';

function marksOf(members: string[], through: number) {
  const calls: string[] = [];
  return {
    calls,
    marks: {
      take: (shard: number) => {
        calls.push(`take ${shard}`);
        return Promise.resolve({ through, members });
      },
      clear: (shard: number, upTo: number) => {
        calls.push(`clear ${shard} ${upTo}`);
        return Promise.resolve();
      },
    },
  };
}

describe('a rollup job of one shard', () => {
  it('recounts the marked seconds of its shard, then clears what it took, and says how far', async () => {
    const m = marksOf(['1000|FI', '1000|SE', '5000|FI'], 42);
    const rolled: DirtyShards[] = [];
    const handler = createCountsJobHandler({
      marks: m.marks,
      rollUp: (dirty) => {
        m.calls.push('roll up');
        rolled.push(dirty);
        return Promise.resolve();
      },
    });
    expect(await handler({ data: { shard: 7 } })).to.deep.equal({ shard: 7, through: 42 });
    expect(m.calls).to.deep.equal(['take 7', 'roll up', 'clear 7 42']);
    expect(rolled).to.deep.equal([
      new Map([
        [
          7,
          new Map([
            [1000, new Set(['FI', 'SE'])],
            [5000, new Set(['FI'])],
          ]),
        ],
      ]),
    ]);
  });

  it('leaves the marks in place when the recount fails, for the next rollup to take', async () => {
    const m = marksOf(['1000|FI'], 3);
    const handler = createCountsJobHandler({
      marks: m.marks,
      rollUp: () => Promise.reject(new Error('Cassandra away')),
    });
    let error: unknown;
    await handler({ data: { shard: 0 } }).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.equal('Cassandra away');
    expect(m.calls).to.deep.equal(['take 0']);
  });

  it('recounts nothing when no mark is left, and still reports how far the marks go', async () => {
    const m = marksOf([], 9);
    let rolled = 0;
    const handler = createCountsJobHandler({
      marks: m.marks,
      rollUp: () => {
        rolled++;
        return Promise.resolve();
      },
    });
    expect(await handler({ data: { shard: 1 } })).to.deep.equal({ shard: 1, through: 9 });
    expect(rolled).to.equal(0);
  });
});
