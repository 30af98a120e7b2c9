import { expect } from 'chai';
import { inBatches } from '../../../ops/data/batcher.ts';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('batching a stream of events', () => {
  it('cuts it into batches of the given size, the last one holding the rest', async () => {
    const items = Array.from({ length: 23 }, (_, i) => i);
    const batches = await collect(inBatches(items, 10));
    expect(batches.map((b) => b.length)).to.deep.equal([10, 10, 3]);
    expect(batches.flat()).to.deep.equal(items);
  });

  it('yields no batch for an empty stream and one full batch for an exact multiple', async () => {
    expect(await collect(inBatches([], 10))).to.deep.equal([]);
    expect((await collect(inBatches([1, 2, 3, 4], 2))).length).to.equal(2);
  });

  it('pulls only as far as the batches taken so far need', async () => {
    let pulled = 0;
    function* source(): Generator<number> {
      for (let i = 0; i < 1000; i++) {
        pulled += 1;
        yield i;
      }
    }
    const batches = inBatches(source(), 10);
    await batches.next();
    await batches.next();
    expect(pulled).to.equal(20);
    await batches.return(undefined);
  });

  it('refuses a batch size below one', async () => {
    let error: unknown;
    await inBatches([1], 0)
      .next()
      .catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(RangeError);
  });
});
