import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import {
  CountedWaiter,
  CountsUnavailableError,
} from '../../../../workers/counts/counted-waiter.ts';

/** QueueEvents as the waiter sees it: `completed` and `failed` of the rollups' jobs. */
function fakeEvents() {
  const emitter = new EventEmitter();
  return {
    events: {
      on: (event: string, listener: Parameters<EventEmitter['on']>[1]) =>
        emitter.on(event, listener),
    },
    completed: (shard: number, through: number) =>
      emitter.emit('completed', { jobId: `shard-${shard}-x`, returnvalue: { shard, through } }),
    failed: (shard: number, reason = 'boom') =>
      emitter.emit('failed', { jobId: `shard-${shard}-x`, failedReason: reason }),
  };
}

const state = async (p: Promise<void>) =>
  Promise.race([
    p.then(
      () => 'resolved',
      (err: unknown) => (err instanceof CountsUnavailableError ? 'failed' : 'other'),
    ),
    new Promise((r) => setImmediate(() => r('pending'))),
  ]);

describe('waiting for the rollup of marks', () => {
  it('settles a wait once a rollup of its shard has taken through its number, not before', async () => {
    const f = fakeEvents();
    const waiter = new CountedWaiter(f.events as never, 60_000);
    const wait = waiter.waitFor(2, 10);
    f.completed(2, 9);
    expect(await state(wait)).to.equal('pending');
    f.completed(1, 50); // another shard's rollup says nothing of this one
    expect(await state(wait)).to.equal('pending');
    f.completed(2, 10);
    expect(await state(wait)).to.equal('resolved');
  });

  it('answers at once a wait whose number a rollup already took through', async () => {
    const f = fakeEvents();
    const waiter = new CountedWaiter(f.events as never, 60_000);
    f.completed(0, 7);
    expect(await state(waiter.waitFor(0, 5))).to.equal('resolved');
    expect(await state(waiter.waitFor(0, 8))).to.equal('pending');
    waiter.close();
  });

  it('fails every wait of a shard whose rollup failed, and none of another shard', async () => {
    const f = fakeEvents();
    const waiter = new CountedWaiter(f.events as never, 60_000);
    const a = waiter.waitFor(3, 1);
    const b = waiter.waitFor(3, 2);
    const other = waiter.waitFor(4, 1);
    f.failed(3);
    expect([await state(a), await state(b), await state(other)]).to.deep.equal([
      'failed',
      'failed',
      'pending',
    ]);
    waiter.close();
    expect(await state(other)).to.equal('failed');
  });

  it('fails a wait that hears nothing within its timeout', async () => {
    const f = fakeEvents();
    const waiter = new CountedWaiter(f.events as never, 5);
    let error: unknown;
    await waiter.waitFor(0, 1).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(CountsUnavailableError);
    f.completed(0, 1); // a late rollup settles nothing twice
  });
});
