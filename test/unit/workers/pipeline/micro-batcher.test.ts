import { install, type Clock } from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { MicroBatcher } from '../../../../workers/pipeline/micro-batcher.ts';

/** A batcher whose runs succeed at once, each recording the items it was given. */
function recordingBatcher(options: ConstructorParameters<typeof MicroBatcher>[1]) {
  const runs: string[][] = [];
  const batcher = new MicroBatcher<string, void>((items) => {
    runs.push(items);
    return Promise.resolve();
  }, options);
  return { runs, batcher };
}

describe('micro-batcher', () => {
  let clock: Clock;
  beforeEach(() => {
    clock = install();
  });
  afterEach(() => {
    clock.uninstall();
  });

  it('runs the items submitted within the linger time together', async () => {
    const { runs, batcher } = recordingBatcher({ lingerMs: 20, maxWeight: 100, maxRunning: 2 });
    const a = batcher.submit('a', 1);
    await clock.tickAsync(5);
    const b = batcher.submit('b', 1);
    await clock.tickAsync(14);
    expect(runs, 'still lingering').to.deep.equal([]);
    await clock.tickAsync(1);
    await Promise.all([a, b]);
    const c = batcher.submit('c', 1);
    await clock.tickAsync(20);
    await c;
    expect(runs).to.deep.equal([['a', 'b'], ['c']]);
  });

  it('starts a group once no item came for the quiet time, long before its linger ends', async () => {
    const { runs, batcher } = recordingBatcher({
      lingerMs: 800,
      quietMs: 50,
      maxWeight: 100,
      maxRunning: 2,
    });
    const a = batcher.submit('a', 1);
    await clock.tickAsync(30);
    const b = batcher.submit('b', 1); // within the quiet time: the group waits 50 ms from here
    await clock.tickAsync(49);
    expect(runs, 'still gathering').to.deep.equal([]);
    await clock.tickAsync(1);
    await Promise.all([a, b]);
    expect(runs).to.deep.equal([['a', 'b']]);
  });

  it('keeps a steady stream together for the whole linger, however long the quiet time allows', async () => {
    const { runs, batcher } = recordingBatcher({
      lingerMs: 800,
      quietMs: 50,
      maxWeight: 1000,
      maxRunning: 2,
    });
    const submitted: Promise<void>[] = [];
    for (let i = 0; i < 100; i++) {
      submitted.push(batcher.submit(`j${i}`, 1));
      await clock.tickAsync(10); // a job every 10 ms, never quiet for 50
    }
    await clock.tickAsync(50); // the stream ends: the last group starts once quiet
    await Promise.all(submitted);
    expect(runs.map((r) => r.length)).to.deep.equal([80, 20]);
  });

  it('starts a group at once when it reaches its weight', async () => {
    const { runs, batcher } = recordingBatcher({ lingerMs: 10_000, maxWeight: 10, maxRunning: 2 });
    await Promise.all([batcher.submit('a', 4), batcher.submit('b', 6)]);
    expect(runs).to.deep.equal([['a', 'b']]);
  });

  it('fails every item of a failed run, and only those', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<string, void>(
      (items) => {
        calls++;
        return items.includes('bad') ? Promise.reject(new Error('boom')) : Promise.resolve();
      },
      { lingerMs: 5, maxWeight: 100, maxRunning: 2 },
    );
    const results = Promise.allSettled([batcher.submit('ok', 1), batcher.submit('bad', 1)]);
    await clock.tickAsync(5);
    expect((await results).map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    const later = batcher.submit('later', 1);
    await clock.tickAsync(5);
    await later;
    expect(calls).to.equal(2);
  });

  it('keeps gathering while every run is busy, so that runs grow under load', async () => {
    const runs: string[][] = [];
    const gates: (() => void)[] = [];
    const batcher = new MicroBatcher<string, void>(
      (items) => {
        runs.push(items);
        return new Promise<void>((resolve) => gates.push(resolve));
      },
      { lingerMs: 5, maxWeight: 100, maxRunning: 1 },
    );
    const first = batcher.submit('a', 1);
    await clock.tickAsync(15);
    const later = ['b', 'c', 'd'].map((item) => batcher.submit(item, 1));
    await clock.tickAsync(30);
    expect(runs, 'the second group waits for the only run').to.deep.equal([['a']]);
    gates[0]!();
    await first;
    await clock.tickAsync(0);
    expect(runs).to.deep.equal([['a'], ['b', 'c', 'd']]);
    gates[1]!();
    await Promise.all(later);
  });

  it('resolves each item with its run’s result', async () => {
    const batcher = new MicroBatcher<number, number>(
      (items) => Promise.resolve(items.reduce((a, b) => a + b, 0)),
      { lingerMs: 5, maxWeight: 100, maxRunning: 1 },
    );
    const sums = Promise.all([batcher.submit(2, 1), batcher.submit(3, 1)]);
    await clock.tickAsync(5);
    expect(await sums).to.deep.equal([5, 5]);
  });
});
