import { expect } from 'chai';
import { install, type Clock } from '@sinonjs/fake-timers';
import { coalesceRequests } from '../../../../workers/counts/coalesced-requests.ts';
import type { DirtyShards } from '../../../../workers/counts/dirty-seconds.ts';

const dirty = (shard: number, second: number, country: string): DirtyShards =>
  new Map([[shard, new Map([[second, new Set([country])]])]]);

describe('rollup requests of jobs that finish together', () => {
  let clock: Clock;
  beforeEach(() => {
    clock = install();
  });
  afterEach(() => {
    clock.uninstall();
  });

  it('sends the requests made within the linger as one round, with every second merged', async () => {
    const rounds: DirtyShards[] = [];
    const ask = coalesceRequests((d) => (rounds.push(d), Promise.resolve()), 5);
    const a = ask(dirty(0, 1000, 'FI'));
    const b = ask(dirty(0, 1000, 'SE'));
    const c = ask(dirty(2, 3000, 'DE'));
    expect(rounds).to.have.length(0);
    await clock.tickAsync(5);
    await Promise.all([a, b, c]);
    expect(rounds).to.deep.equal([
      new Map([
        [0, new Map([[1000, new Set(['FI', 'SE'])]])],
        [2, new Map([[3000, new Set(['DE'])]])],
      ]),
    ]);
  });

  it('starts a new round for a request made after the linger', async () => {
    const rounds: DirtyShards[] = [];
    const ask = coalesceRequests((d) => (rounds.push(d), Promise.resolve()), 5);
    const a = ask(dirty(0, 1000, 'FI'));
    await clock.tickAsync(5);
    const b = ask(dirty(0, 2000, 'FI'));
    await clock.tickAsync(5);
    await Promise.all([a, b]);
    expect(rounds).to.have.length(2);
  });

  it('fails every request of a failed round, and only those', async () => {
    let fail = true;
    const ask = coalesceRequests(
      () => (fail ? Promise.reject(new Error('no rollup')) : Promise.resolve()),
      5,
    );
    const a = ask(dirty(0, 1000, 'FI')).catch((err: unknown) => (err as Error).message);
    const b = ask(dirty(1, 1000, 'FI')).catch((err: unknown) => (err as Error).message);
    await clock.tickAsync(5);
    expect(await Promise.all([a, b])).to.deep.equal(['no rollup', 'no rollup']);
    fail = false;
    const c = ask(dirty(0, 1000, 'FI'));
    await clock.tickAsync(5);
    await c;
  });

  it('answers at once a request with nothing to count', async () => {
    let asked = 0;
    const ask = coalesceRequests(() => (asked++, Promise.resolve()), 5);
    await ask(new Map());
    expect(asked).to.equal(0);
  });
});
