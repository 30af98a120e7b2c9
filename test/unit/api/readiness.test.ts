import { expect } from 'chai';
import { cachedFor, checkAll } from '../../../src/api/readiness.ts';

/** A check that answers when told to, counting how often it was asked. */
class Pending {
  calls = 0;
  private resolvers: ((value: string) => void)[] = [];

  readonly run = () => {
    this.calls++;
    return new Promise<string>((resolve) => this.resolvers.push(resolve));
  };

  answer(value: string): void {
    for (const resolve of this.resolvers.splice(0)) resolve(value);
  }
}

describe('the readiness cache (cachedFor)', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  it('shares one check among every caller while it runs', async () => {
    const check = new Pending();
    const cached = cachedFor(check.run, { maxAgeMs: 1000, now });
    const callers = Array.from({ length: 50 }, () => cached());
    expect(check.calls).to.equal(1);
    check.answer('ready');
    expect(await Promise.all(callers)).to.deep.equal(Array<string>(50).fill('ready'));
    expect(check.calls).to.equal(1);
  });

  it('answers from the last result for maxAgeMs after the check was asked for, then checks again', async () => {
    const check = new Pending();
    const cached = cachedFor(check.run, { maxAgeMs: 1000, now });
    const first = cached();
    clock += 300; // the check took 300 ms: its result is 300 ms old when it comes
    check.answer('first');
    expect(await first).to.equal('first');
    clock += 699;
    expect(await cached()).to.equal('first');
    expect(check.calls).to.equal(1);
    clock += 1; // 1000 ms since the check was asked for
    const second = cached();
    expect(check.calls).to.equal(2);
    check.answer('second');
    expect(await second).to.equal('second');
  });

  it('does not keep a failure: the next caller checks again', async () => {
    let calls = 0;
    const cached = cachedFor(
      () => (++calls === 1 ? Promise.reject(new Error('boom')) : Promise.resolve('ok')),
      { maxAgeMs: 1000, now },
    );
    const error = await cached().catch((err: unknown) => err);
    expect((error as Error).message).to.equal('boom');
    expect(await cached()).to.equal('ok');
    expect(calls).to.equal(2);
  });
});

describe('the readiness checks (checkAll)', () => {
  it('reports each check’s result, a failure’s reason, and a thrown error as a failure', async () => {
    const results = await checkAll([
      { name: 'up', check: () => Promise.resolve({ ok: true }) },
      { name: 'down', check: () => Promise.resolve({ ok: false }) },
      { name: 'why', check: () => Promise.resolve({ ok: false, reason: 'no keyspace' }) },
      { name: 'throws', check: () => Promise.reject(new Error('refused')) },
    ]);
    expect(results).to.deep.equal([
      { check: 'up', ok: true },
      { check: 'down', ok: false },
      { check: 'why', ok: false, reason: 'no keyspace' },
      { check: 'throws', ok: false, reason: 'refused' },
    ]);
  });
});
