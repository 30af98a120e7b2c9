import { expect } from 'chai';
import { allShards, fnv1a32, shardOf } from '../../../src/domain/shard.ts';

describe('shards of the start facts', () => {
  it('hashes with 32-bit FNV-1a (the published test vectors)', () => {
    expect(fnv1a32('')).to.equal(0x811c9dc5);
    expect(fnv1a32('a')).to.equal(0xe40c292c);
    expect(fnv1a32('foobar')).to.equal(0xbf9cf968);
  });

  it('hashes the UTF-8 bytes, so an id outside ASCII has one shard on every platform', () => {
    expect(fnv1a32('é')).to.equal(fnv1a32('\u00e9'));
    expect(fnv1a32('é')).to.not.equal(fnv1a32('e'));
  });

  it('puts every session in shard 0 when there is one shard', () => {
    for (const id of ['a', 'b', '4a0c43c9-c43a-42ff-ba55-67563dfa35d4'])
      expect(shardOf(id, 1)).to.equal(0);
  });

  it('gives the same shard to the same session id, whoever asks', () => {
    const id = '4a0c43c9-c43a-42ff-ba55-67563dfa35d4';
    expect(shardOf(id, 16)).to.equal(shardOf(id.slice(0), 16));
    expect(shardOf(id, 16)).to.equal(fnv1a32(id) % 16);
  });

  it('spreads session ids evenly: no shard holds more than 1.25 times its share of 64,000', () => {
    const shards = 16;
    const counts = new Array<number>(shards).fill(0);
    for (let i = 0; i < 64_000; i++) {
      const id = `${(i * 2654435761) % 4294967296}-${i}-session`;
      const shard = shardOf(id, shards);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    expect(Math.max(...counts)).to.be.at.most(1.25 * (64_000 / shards));
    expect(Math.min(...counts)).to.be.at.least(0.75 * (64_000 / shards));
  });

  it('refuses a shard count that is not a positive whole number', () => {
    expect(() => shardOf('a', 0)).to.throw(RangeError);
    expect(() => shardOf('a', 1.5)).to.throw(RangeError);
  });

  it('lists every shard of a layout', () => {
    expect(allShards(1)).to.deep.equal([0]);
    expect(allShards(4)).to.deep.equal([0, 1, 2, 3]);
  });
});
