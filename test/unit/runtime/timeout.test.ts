import { expect } from 'chai';
import { TimeoutError, withTimeout } from '../../../src/runtime/timeout.ts';

describe('withTimeout', () => {
  it('gives the answer of work that settles in time', async () => {
    expect(await withTimeout(Promise.resolve(42), 50)).to.equal(42);
  });

  it('passes on the failure of work that fails in time', async () => {
    const failure = new Error('refused');
    const error = await withTimeout(Promise.reject(failure), 50).catch((err: unknown) => err);
    expect(error).to.equal(failure);
  });

  it('rejects with a TimeoutError naming the limit when the work is too slow', async () => {
    const error = await withTimeout(new Promise(() => undefined), 20).catch((err: unknown) => err);
    expect(error).to.be.instanceOf(TimeoutError);
    expect((error as TimeoutError).message).to.equal('no answer within 20 ms');
  });
});
