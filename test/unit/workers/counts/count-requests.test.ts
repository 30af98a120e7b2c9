import { expect } from 'chai';
import { createCountRequests } from '../../../../workers/counts/count-requests.ts';

describe('asking for the rollup of changed seconds', () => {
  it('marks each shard, asks for that shard’s deduplicated rollup, and waits for its number', async () => {
    const log: string[] = [];
    let next = 100;
    const requests = createCountRequests({
      marks: {
        add: (shard, members) => {
          log.push(`mark ${shard} ${members.join(',')}`);
          return Promise.resolve(next++);
        },
      },
      queue: {
        add: (_name, data, options) => {
          log.push(`job ${data.shard} delay ${options?.delay} dedup ${options?.deduplication?.id}`);
          expect(options?.deduplication?.keepLastIfActive).to.equal(true);
          expect(options?.jobId).to.match(new RegExp(`^shard-${data.shard}-`));
          return Promise.resolve({} as never);
        },
      },
      waiter: {
        waitFor: (shard, through) => {
          log.push(`wait ${shard} ${through}`);
          return Promise.resolve();
        },
      },
      replicas: undefined,
      intervalMs: 250,
    });
    await requests.whenCounted(
      new Map([
        [0, new Map([[1000, new Set(['FI'])]])],
        [3, new Map([[2000, new Set(['SE', 'DE'])]])],
      ]),
    );
    expect(log).to.have.members([
      'mark 0 1000|FI',
      'job 0 delay 250 dedup shard-0',
      'wait 0 100',
      'mark 3 2000|SE,2000|DE',
      'job 3 delay 250 dedup shard-3',
      'wait 3 101',
    ]);
    // Each shard in order: mark, then ask, then wait.
    for (const shard of [0, 3]) {
      const mine = log.filter((l) => l.split(' ')[1] === String(shard)).map((l) => l.split(' ')[0]);
      expect(mine).to.deep.equal(['mark', 'job', 'wait']);
    }
  });

  it('has the marks confirmed on replicas before it waits, when replicas must acknowledge', async () => {
    const log: string[] = [];
    const requests = createCountRequests({
      marks: { add: () => (log.push('mark'), Promise.resolve(1)) },
      queue: { add: () => (log.push('job'), Promise.resolve({} as never)) },
      waiter: { waitFor: () => (log.push('wait'), Promise.resolve()) },
      replicas: {
        confirm: async <T>(work: () => Promise<T>) => {
          log.push('confirm');
          const result = await work();
          log.push('confirmed');
          return result;
        },
      },
      intervalMs: 250,
    });
    await requests.whenCounted(new Map([[0, new Map([[1000, new Set(['FI'])]])]]));
    expect(log).to.deep.equal(['confirm', 'mark', 'confirmed', 'job', 'wait']);
  });

  it('asks for nothing when no second changed', async () => {
    let asked = 0;
    const requests = createCountRequests({
      marks: { add: () => (asked++, Promise.resolve(1)) },
      queue: { add: () => (asked++, Promise.resolve({} as never)) },
      waiter: { waitFor: () => (asked++, Promise.resolve()) },
      replicas: undefined,
      intervalMs: 250,
    });
    await requests.whenCounted(new Map());
    expect(asked).to.equal(0);
  });
});
