import { expect } from 'chai';
import type { Counting } from '../../../../workers/counts/compose-counting.ts';
import { routeCounting, splitByQueue } from '../../../../workers/counts/counting-router.ts';
import type { DirtyShards } from '../../../../workers/counts/dirty-seconds.ts';

const dirtyOf = (...shards: number[]): DirtyShards =>
  new Map(shards.map((shard) => [shard, new Map([[shard * 1000, new Set(['FI'])]])]));

/** A counting side that records what it was asked, and answers when told to. */
function side(log: string[], name: string): Counting & { release(): void } {
  let release: () => void = () => undefined;
  const waiting = new Promise<void>((resolve) => (release = resolve));
  return {
    async whenCounted(dirty) {
      log.push(`${name} counts ${[...dirty.keys()].join(',')}`);
      await waiting;
    },
    pause: () => Promise.resolve(void log.push(`${name} paused`)),
    resume: () => Promise.resolve(void log.push(`${name} resumed`)),
    close: () => Promise.resolve(void log.push(`${name} closed`)),
    release: () => release(),
  };
}

describe('counting over several queues’ Redis', () => {
  it('splits dirty shards by queue: shard g to queue g mod N, seconds untouched', () => {
    const dirty = dirtyOf(0, 1, 2, 3, 5);
    const parts = splitByQueue(dirty, 2);
    expect([...parts.keys()].sort()).to.deep.equal([0, 1]);
    expect([...parts.get(0)!.keys()]).to.deep.equal([0, 2]);
    expect([...parts.get(1)!.keys()]).to.deep.equal([1, 3, 5]);
    expect(parts.get(1)!.get(5)).to.equal(dirty.get(5));
  });

  it('is the one side itself when there is one queue', () => {
    const only = side([], 'only');
    expect(routeCounting([only])).to.equal(only);
  });

  it('asks each side only for its own shards, and resolves once every side has counted', async () => {
    const log: string[] = [];
    const sides = [side(log, 'a'), side(log, 'b'), side(log, 'c')];
    const counting = routeCounting(sides);
    let done = false;
    const waited = counting.whenCounted(dirtyOf(0, 4, 5)).then(() => (done = true));
    await Promise.resolve();
    expect(log.sort()).to.deep.equal(['a counts 0', 'b counts 4', 'c counts 5']);
    sides[0]!.release();
    sides[1]!.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(done, 'side c has not counted yet').to.be.false;
    sides[2]!.release();
    await waited;
    expect(done).to.be.true;
  });

  it('does not bother a side none of whose shards changed', async () => {
    const log: string[] = [];
    const sides = [side(log, 'a'), side(log, 'b')];
    for (const s of sides) s.release();
    await routeCounting(sides).whenCounted(dirtyOf(1, 3));
    expect(log).to.deep.equal(['b counts 1,3']);
  });

  it('pauses, resumes and closes every side', async () => {
    const log: string[] = [];
    const counting = routeCounting([side(log, 'a'), side(log, 'b')]);
    await counting.pause();
    await counting.resume();
    await counting.close();
    expect(log).to.deep.equal([
      'a paused',
      'b paused',
      'a resumed',
      'b resumed',
      'a closed',
      'b closed',
    ]);
  });
});
