import { expect } from 'chai';
import type { Generations } from '../../../src/domain/generations.ts';
import { followGenerations } from '../../../src/storage/view-generations.ts';

function store(values: (Generations | Error)[]) {
  let reads = 0;
  return {
    get reads() {
      return reads;
    },
    get: () => {
      const value = values[Math.min(reads++, values.length - 1)]!;
      return value instanceof Error ? Promise.reject(value) : Promise.resolve(value);
    },
  };
}

describe('following a read model’s generations', () => {
  const a: Generations = { read: 0, write: [0] };
  const b: Generations = { read: 0, write: [0, 1] };

  it('reads the setting at most once per maximum age, and sees a change after it', async () => {
    let clock = 0;
    const s = store([a, b]);
    const follow = followGenerations(s, 'completed-sessions', 1000, () => clock);
    expect(await follow()).to.deep.equal(a);
    clock = 999;
    expect(await follow()).to.deep.equal(a);
    expect(s.reads).to.equal(1);
    clock = 1000;
    expect(await follow()).to.deep.equal(b);
    expect(s.reads).to.equal(2);
  });

  it('shares one read among callers that ask at once', async () => {
    const s = store([a]);
    const follow = followGenerations(s, 'completed-sessions', 1000, () => 0);
    expect(await Promise.all([follow(), follow(), follow()])).to.deep.equal([a, a, a]);
    expect(s.reads).to.equal(1);
  });

  it('keeps the last value known while the keyspace cannot be read', async () => {
    let clock = 0;
    const follow = followGenerations(
      store([a, new Error('down')]),
      'completed-sessions',
      10,
      () => clock,
    );
    await follow();
    clock = 100;
    expect(await follow()).to.deep.equal(a);
  });

  it('fails while no value was ever read, rather than guess generation 0', async () => {
    const follow = followGenerations(
      store([new Error('down'), a]),
      'completed-sessions',
      10,
      () => 0,
    );
    let failed: unknown;
    await follow().catch((err: unknown) => (failed = err));
    expect(String(failed)).to.contain('down');
    expect(await follow()).to.deep.equal(a);
  });
});
