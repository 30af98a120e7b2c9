import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { v5 as uuidv5 } from 'uuid';
import { fnv1a32 } from '../../../src/domain/shard.ts';
import { queueIndexOf, queueNameOf, queueOfShard } from '../../../src/queue/queue-routing.ts';

describe('routing batches over several queues', () => {
  it('puts every batch on queue 0 when there is one queue', () => {
    for (let i = 0; i < 100; i++) expect(queueIndexOf(randomUUID(), 1)).to.equal(0);
  });

  it('routes a batch id to fnv1a32(id) mod N, the same whoever asks and however often', () => {
    const id = '0d5e2c8a-7c11-4b0f-9f57-8f8e8d6a1b2c';
    expect(queueIndexOf(id, 3)).to.equal(fnv1a32(id) % 3);
    expect(queueIndexOf(id, 3)).to.equal(queueIndexOf(id.slice(0), 3));
    // A keyed repeat names the same batch (a name-based UUID of the key), so the same queue.
    const keyed = (key: string) => uuidv5(key, '6f1d7c1e-3b7a-5c55-9a51-2d1b8f0e4a77');
    expect(queueIndexOf(keyed('order-17'), 4)).to.equal(queueIndexOf(keyed('order-17'), 4));
  });

  it('spreads random batch ids evenly: no queue of 4 gets more than 1.1 times its share of 40,000', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[queueIndexOf(randomUUID(), 4)]!++;
    for (const count of counts) {
      expect(count).to.be.greaterThan(10_000 / 1.1);
      expect(count).to.be.lessThan(10_000 * 1.1);
    }
  });

  it('refuses a queue count that is not a positive integer', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(() => queueIndexOf('x', n), String(n)).to.throw(RangeError);
      expect(() => queueOfShard(0, n), String(n)).to.throw(RangeError);
    }
  });

  it('keeps the configured name for queue 0 and numbers the others', () => {
    expect(queueNameOf('events', 0)).to.equal('events');
    expect(queueNameOf('events', 1)).to.equal('events-1');
    expect(queueNameOf('events', 12)).to.equal('events-12');
  });

  it('counts shard g on queue g mod N, so the shards spread over every queue', () => {
    expect([0, 1, 2, 3, 4, 5].map((g) => queueOfShard(g, 2))).to.deep.equal([0, 1, 0, 1, 0, 1]);
    expect([0, 1, 2, 3].map((g) => queueOfShard(g, 1))).to.deep.equal([0, 0, 0, 0]);
  });
});
