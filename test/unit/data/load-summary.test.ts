import { expect } from 'chai';
import type { LoadResult } from '../../../ops/data/loader.ts';
import { LoadTally } from '../../../ops/data/load-tally.ts';
import { describeOffset, somethingLost, summaryLines } from '../../../ops/data/load-summary.ts';

function result(tally: LoadTally, extra: Partial<LoadResult> = {}): LoadResult {
  return {
    tally,
    offsetMs: undefined,
    newestMs: undefined,
    durationMs: 2000,
    gaveUp: false,
    interrupted: false,
    readError: undefined,
    ...extra,
  };
}

describe('the load summary', () => {
  it('reports accepted and rejected events by code, and nothing lost', () => {
    const tally = new LoadTally();
    tally.read = 20;
    tally.record(
      {
        kind: 'accepted',
        batchId: 'b',
        accepted: 8,
        rejected: new Map([['expired', 2]]),
        rejectedAt: new Map([
          [3, 'expired'],
          [7, 'expired'],
        ]),
        retries: 0,
      },
      10,
    );
    tally.record({ kind: 'refused', rejected: new Map([['invalid_event', 10]]), retries: 0 }, 10);
    const lines = summaryLines('f.jsonl', 'http://x/', result(tally));
    expect(lines).to.include('  accepted     8');
    expect(lines).to.include('  rejected     12 (invalid_event 10, expired 2)');
    expect(lines).to.include('  rate         10 events/s answered');
    expect(lines.at(-1)).to.equal('✔ nothing lost');
    expect(somethingLost(result(tally))).to.be.false;
  });

  it('counts a run as failed when a batch was lost, the file was cut short, or a batch failed later', () => {
    const lost = new LoadTally();
    lost.record({ kind: 'lost', reason: 'ECONNREFUSED, 8 retries', retries: 8 }, 10);
    expect(somethingLost(result(lost))).to.be.true;
    expect(summaryLines('f', 'u', result(lost))).to.include(
      '  lost         10 (1 × ECONNREFUSED, 8 retries)',
    );
    const clean = new LoadTally();
    expect(somethingLost(result(clean, { readError: new Error('cut') }))).to.be.true;
    expect(somethingLost(result(clean, { interrupted: true }))).to.be.true;
    expect(summaryLines('f', 'u', result(clean, { interrupted: true })).at(-1)).to.equal(
      '✖ interrupted: the rest of the file was not sent',
    );
    const waited = { done: 3, failed: ['b9'], unknown: [], pending: [] };
    expect(somethingLost(result(clean), waited)).to.be.true;
    expect(somethingLost(result(clean), { ...waited, failed: [] })).to.be.false;
  });

  it('hints at --rebase-to-now when old events came back expired', () => {
    const tally = new LoadTally();
    tally.record({ kind: 'refused', rejected: new Map([['expired', 10]]), retries: 0 }, 10);
    expect(summaryLines('f', 'u', result(tally)).join('\n')).to.contain('--rebase-to-now');
  });

  it('describes an offset in days and a clock time', () => {
    expect(describeOffset((3 * 86_400 + 3723) * 1000)).to.equal('+3 days 01:02:03');
    expect(describeOffset(-86_400_000)).to.equal('-1 days 00:00:00');
  });
});
