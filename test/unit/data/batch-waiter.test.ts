import { expect } from 'chai';
import { waitForBatches } from '../../../ops/data/batch-waiter.ts';
import { ScriptedServer } from '../../helpers/scripted-server.ts';

describe('waiting for loaded batches to be processed', () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('polls each open batch until it is done or failed, and reports the failed ones', async () => {
    const polls = new Map<string, number>();
    server = await ScriptedServer.start((request) => {
      const id = request.path.split('/').at(-1)!;
      const n = (polls.get(id) ?? 0) + 1;
      polls.set(id, n);
      if (id === 'gone') return { status: 404, body: { error: { code: 'batch_not_found' } } };
      const state = id === 'bad' ? 'failed' : n < 3 ? 'queued' : 'done';
      return { status: 200, body: { batch_id: id, state, accepted: 10 } };
    });
    const result = await waitForBatches(['a', 'b', 'bad', 'gone'], {
      url: server.url,
      concurrency: 2,
      sleep: () => Promise.resolve(),
    });
    expect(result).to.deep.equal({ done: 2, failed: ['bad'], unknown: ['gone'], pending: [] });
    expect(polls.get('a')).to.equal(3);
    expect(polls.get('bad')).to.equal(1);
  });

  it('stops waiting when no batch has finished for the stall timeout', async () => {
    server = await ScriptedServer.start(() => ({
      status: 200,
      body: { batch_id: 'x', state: 'processing', accepted: 1 },
    }));
    // A clock of the test's own, moved only by the waits between rounds: however slow the
    // machine, a round that polls takes no time on it (on the real clock, a loaded CI machine
    // once spent the whole timeout in the first round).
    let clock = 0;
    const result = await waitForBatches(['x', 'y'], {
      url: server.url,
      concurrency: 2,
      pollIntervalMs: 10,
      stallTimeoutMs: 100,
      now: () => clock,
      sleep: (ms) => {
        clock += ms;
        return Promise.resolve();
      },
    });
    expect(result.pending).to.deep.equal(['x', 'y']);
    expect(result.done).to.equal(0);
    // Rounds at 0, 10, …, 110 ms: the one at 110 is the first more than 100 ms after the start.
    expect(server.requests.length).to.equal(12 * 2);
  });
});
