import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import type { DirtyShards } from '../../../workers/rollup/dirty-seconds.ts';
import { RollupScheduler } from '../../../workers/rollup/rollup-scheduler.ts';

// Seconds of shard 0 (the scheduler does not look into shards).
const dirty = (...entries: [number, string][]): DirtyShards => {
  const seconds = new Map<number, Set<string>>();
  for (const [s, c] of entries) seconds.set(s, new Set([...(seconds.get(s) ?? []), c]));
  return new Map([[0, seconds]]);
};

function controlledRollup() {
  const calls: DirtyShards[] = [];
  const gates: { release(): void; fail(err: Error): void }[] = [];
  const rollup = (d: DirtyShards) => {
    calls.push(d);
    return new Promise<void>((resolve, reject) => gates.push({ release: resolve, fail: reject }));
  };
  return { calls, gates, rollup };
}

const tick = () => sleep(5);

describe('rollup scheduler', () => {
  it('merges requests that arrive together into one rollup', async () => {
    const c = controlledRollup();
    const scheduler = new RollupScheduler(c.rollup, { lingerMs: 1, minIntervalMs: 0 });
    const a = scheduler.whenCounted(dirty([1000, 'FI']));
    const b = scheduler.whenCounted(dirty([1000, 'SE'], [2000, 'FI']));
    await tick();
    expect(c.calls).to.have.length(1);
    expect(c.calls[0]).to.deep.equal(dirty([1000, 'FI'], [1000, 'SE'], [2000, 'FI']));
    c.gates[0]!.release();
    await Promise.all([a, b]);
  });

  it('answers a request made during a rollup only after a later rollup that includes it', async () => {
    const c = controlledRollup();
    const scheduler = new RollupScheduler(c.rollup, { lingerMs: 0, minIntervalMs: 0 });
    const first = scheduler.whenCounted(dirty([1000, 'FI']));
    await tick();
    let secondDone = false;
    const second = scheduler.whenCounted(dirty([1000, 'FI'])).then(() => (secondDone = true));
    c.gates[0]!.release();
    await first;
    await tick();
    expect(secondDone, 'the running rollup may have read before the second job wrote').to.be.false;
    expect(c.calls).to.have.length(2);
    c.gates[1]!.release();
    await second;
    expect(secondDone).to.be.true;
    expect(scheduler.busy).to.be.false;
  });

  it('fails exactly the requests of a failed rollup, and keeps serving', async () => {
    const c = controlledRollup();
    const scheduler = new RollupScheduler(c.rollup, { lingerMs: 0, minIntervalMs: 0 });
    const failing = scheduler.whenCounted(dirty([1000, 'FI']));
    await tick();
    const later = scheduler.whenCounted(dirty([2000, 'FI']));
    c.gates[0]!.fail(new Error('cassandra timeout'));
    try {
      await failing;
      expect.fail('the request should have failed');
    } catch (err) {
      expect((err as Error).message).to.equal('cassandra timeout');
    }
    await tick();
    c.gates[1]!.release();
    await later;
    expect(c.calls[1]).to.deep.equal(dirty([2000, 'FI']));
  });

  it('settles at once when nothing changed', async () => {
    const c = controlledRollup();
    await new RollupScheduler(c.rollup, { lingerMs: 0, minIntervalMs: 0 }).whenCounted(new Map());
    expect(c.calls).to.have.length(0);
  });

  it('starts the next rollup no sooner than the minimum interval after the previous one', async () => {
    const c = controlledRollup();
    const scheduler = new RollupScheduler(c.rollup, { lingerMs: 0, minIntervalMs: 60 });
    const first = scheduler.whenCounted(dirty([1000, 'FI']));
    await tick();
    c.gates[0]!.release();
    await first;
    const second = scheduler.whenCounted(dirty([2000, 'FI']));
    const third = scheduler.whenCounted(dirty([3000, 'SE']));
    await tick();
    expect(c.calls, 'the second rollup waits out the interval').to.have.length(1);
    await sleep(70);
    expect(c.calls).to.have.length(2);
    expect(c.calls[1], 'requests made while waiting share it').to.deep.equal(
      dirty([2000, 'FI'], [3000, 'SE']),
    );
    c.gates[1]!.release();
    await Promise.all([second, third]);
  });
});
