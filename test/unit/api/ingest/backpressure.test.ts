import { expect } from 'chai';
import {
  LoadSampler,
  parseMemoryInfo,
  refusalFor,
  type QueueLoad,
} from '../../../../src/api/ingest/backpressure.ts';

const limits = { maxBacklog: 100, memoryRefuseFraction: 0.9 };
const load = (backlogJobs: number, usedMemory = 0, maxMemory = 0): QueueLoad => ({
  backlogJobs,
  usedMemory,
  maxMemory,
});

describe('the backpressure decision', () => {
  it('accepts while the backlog is below its bound and refuses from the bound on', () => {
    expect(refusalFor(load(0), limits)).to.equal(undefined);
    expect(refusalFor(load(99), limits)).to.equal(undefined);
    expect(refusalFor(load(100), limits)).to.equal('backlog');
    expect(refusalFor(load(5000), limits)).to.equal('backlog');
  });

  it('refuses once Redis uses the refuse fraction of its maxmemory, and never without a maxmemory', () => {
    expect(refusalFor(load(0, 899, 1000), limits)).to.equal(undefined);
    expect(refusalFor(load(0, 900, 1000), limits)).to.equal('memory');
    expect(refusalFor(load(0, 2000, 1000), limits)).to.equal('memory');
    expect(refusalFor(load(0, 10 ** 12, 0), limits)).to.equal(undefined);
  });

  it('names memory when both bounds are passed, the one an operator must act on first', () => {
    expect(refusalFor(load(100, 950, 1000), limits)).to.equal('memory');
  });

  it('accepts when the load was never read, leaving an outage to the enqueue', () => {
    expect(refusalFor(undefined, limits)).to.equal(undefined);
  });

  it('decides every combination of backlog and memory around both bounds consistently', () => {
    for (const backlog of [0, 1, 99, 100, 101])
      for (const used of [0, 899, 900, 901, 1000, 1001])
        for (const max of [0, 1000]) {
          const memory = max > 0 && used >= 900;
          const expected = memory ? 'memory' : backlog >= 100 ? 'backlog' : undefined;
          expect(
            refusalFor(load(backlog, used, max), limits),
            `${backlog}/${used}/${max}`,
          ).to.equal(expected);
        }
  });
});

describe('the load sampler', () => {
  let clock = 0;
  const options = { maxAgeMs: 250, timeoutMs: 50, now: () => clock };

  it('reads Redis once per period however many requests ask', async () => {
    clock = 0;
    let reads = 0;
    const sampler = new LoadSampler(() => Promise.resolve(load(++reads)), options);
    const answers = await Promise.all(Array.from({ length: 20 }, () => sampler.current()));
    expect(reads).to.equal(1);
    expect(answers.every((a) => a?.backlogJobs === 1)).to.be.true;
    clock = 249;
    expect((await sampler.current())?.backlogJobs).to.equal(1);
    clock = 250;
    expect((await sampler.current())?.backlogJobs).to.equal(2);
  });

  it('keeps the last load when a read fails or hangs, and reads again a period later', async () => {
    clock = 0;
    let mode: 'ok' | 'fail' | 'hang' = 'ok';
    const sampler = new LoadSampler(async () => {
      if (mode === 'fail') throw new Error('down');
      if (mode === 'hang') return new Promise<QueueLoad>(() => undefined);
      return load(7);
    }, options);
    await sampler.current();
    mode = 'fail';
    clock = 300;
    expect((await sampler.current())?.backlogJobs).to.equal(7);
    mode = 'hang';
    clock = 600;
    const started = Date.now();
    expect((await sampler.current())?.backlogJobs).to.equal(7);
    expect(Date.now() - started).to.be.below(500);
  });

  it('knows no load while Redis has never answered', async () => {
    const sampler = new LoadSampler(() => Promise.reject(new Error('down')), options);
    expect(await sampler.current()).to.equal(undefined);
  });
});

describe('reading INFO memory', () => {
  it('takes used_memory and maxmemory, not their look-alikes', () => {
    const info = [
      '# Memory',
      'used_memory:1048576',
      'used_memory_human:1.00M',
      'used_memory_rss:9000000',
      'maxmemory:4194304',
      'maxmemory_human:4.00M',
      'maxmemory_policy:noeviction',
    ].join('\r\n');
    expect(parseMemoryInfo(info)).to.deep.equal({ usedMemory: 1_048_576, maxMemory: 4_194_304 });
  });

  it('reads an unset maxmemory as 0', () => {
    expect(parseMemoryInfo('used_memory:10\r\nmaxmemory:0\r\n').maxMemory).to.equal(0);
  });
});
