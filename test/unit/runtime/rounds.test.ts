import { expect } from 'chai';
import { rounds } from '../../../src/runtime/rounds.ts';

/** A run whose end the test decides, numbered in the order runs started. */
function controlledRuns() {
  const started: { resolve: (n: number) => void; reject: (err: Error) => void }[] = [];
  const run = () =>
    new Promise<number>((resolve, reject) => {
      started.push({ resolve, reject });
    });
  return { started, run };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('rounds (shared runs that start after each caller asked)', () => {
  it('starts a run at once for a caller when none is in flight', async () => {
    const { started, run } = controlledRuns();
    const next = rounds(run);
    const answer = next();
    expect(started).to.have.length(1);
    started[0]!.resolve(7);
    expect(await answer).to.equal(7);
  });

  it('gives callers that arrive during a run one shared later run, never the one in flight', async () => {
    const { started, run } = controlledRuns();
    const next = rounds(run);
    const first = next();
    const late = [next(), next(), next()];
    expect(started, 'nothing more starts while a run is in flight').to.have.length(1);
    started[0]!.resolve(1);
    expect(await first).to.equal(1);
    await tick();
    expect(started, 'one run for all the late callers').to.have.length(2);
    started[1]!.resolve(2);
    expect(await Promise.all(late)).to.deep.equal([2, 2, 2]);
  });

  it('fails the callers of a failed run only, and the next caller gets a fresh run', async () => {
    const { started, run } = controlledRuns();
    const next = rounds(run);
    const first = next().catch((err: unknown) => err);
    const late = next();
    started[0]!.reject(new Error('no replica'));
    expect(await first).to.have.property('message', 'no replica');
    await tick();
    started[1]!.resolve(3);
    expect(await late).to.equal(3);
    const again = next();
    expect(started).to.have.length(3);
    started[2]!.resolve(4);
    expect(await again).to.equal(4);
  });

  it('lets late callers share a run that another caller started after theirs was due', async () => {
    const { started, run } = controlledRuns();
    const next = rounds(run);
    void next();
    const late = next();
    started[0]!.resolve(1);
    // Between the first run's end and the late callers' turn, a new caller starts a run: it began
    // after the late callers asked, so it serves them too instead of a third run.
    await Promise.resolve();
    const interloper = next();
    await tick();
    expect(started).to.have.length(2);
    started[1]!.resolve(5);
    expect(await late).to.equal(5);
    expect(await interloper).to.equal(5);
  });
});
