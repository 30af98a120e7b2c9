import { expect } from 'chai';
import {
  erasureStatus,
  type ErasureJob,
  type ErasureResult,
} from '../../../src/queue/erasures-queue.ts';

type State = 'active' | 'completed' | 'failed' | 'waiting';

/** A job as BullMQ hands it out: fields as they were when it was read, state as it is now. */
function jobAsRead(fields: { finishedOn?: number; returnvalue?: ErasureResult }, now: () => State) {
  return {
    id: 'e-1',
    data: { player_sha256: 'ab12', requested_at: '2026-12-04T20:00:00.000Z' },
    finishedOn: fields.finishedOn,
    returnvalue: fields.returnvalue,
    getState: () => Promise.resolve(now()),
  } as unknown as ErasureJob;
}

const RESULT = { sessions: 3, facts: 6, completed_rows: 3 } as ErasureResult;

describe('an erasure status', () => {
  it('reports a finished erasure with its result even when the job was read while it still ran', async () => {
    const reads = [
      jobAsRead({}, () => 'completed'), // read while running, finished before its state was read
      jobAsRead(
        { finishedOn: Date.UTC(2026, 11, 4, 20, 1), returnvalue: RESULT },
        () => 'completed',
      ),
    ];
    const status = await erasureStatus({ getJob: () => Promise.resolve(reads.shift()) }, 'e-1');
    expect(status).to.deep.include({
      state: 'done',
      sessions: 3,
      facts: 6,
      completed_rows: 3,
      finished_at: '2026-12-04T20:01:00.000Z',
    });
  });

  it('reads a running erasure once and reports no result yet', async () => {
    let reads = 0;
    const status = await erasureStatus(
      { getJob: () => Promise.resolve((reads++, jobAsRead({}, () => 'active'))) },
      'e-1',
    );
    expect(reads).to.equal(1);
    expect(status).to.deep.include({ state: 'running', sessions: null, finished_at: null });
  });

  it('answers nothing for an erasure it does not know', async () => {
    expect(await erasureStatus({ getJob: () => Promise.resolve(undefined) }, 'nope')).to.equal(
      undefined,
    );
  });
});
