import { expect } from 'chai';
import { IndexPermutation, deriveSeed } from '../../../ops/data/permutation.ts';

describe('the index permutation that shuffles generated files', () => {
  for (const size of [1, 2, 3, 64, 65, 1000, 100_003]) {
    it(`visits each of ${size} indexes exactly once`, () => {
      const permutation = new IndexPermutation(size, 7);
      const seen = new Uint8Array(size);
      for (let i = 0; i < size; i++) seen[permutation.at(i)]! += 1;
      expect(seen.every((n) => n === 1)).to.be.true;
    });
  }

  it('depends on the seed, and is the same for the same seed', () => {
    const a = Array.from({ length: 50 }, (_, i) => new IndexPermutation(1000, 1).at(i));
    const b = Array.from({ length: 50 }, (_, i) => new IndexPermutation(1000, 1).at(i));
    const c = Array.from({ length: 50 }, (_, i) => new IndexPermutation(1000, 2).at(i));
    expect(a).to.deep.equal(b);
    expect(a).to.not.deep.equal(c);
  });

  it('leaves few indexes in place and moves neighbours far apart', () => {
    const permutation = new IndexPermutation(10_000, 3);
    const moved = Array.from({ length: 10_000 }, (_, i) => permutation.at(i));
    expect(moved.filter((v, i) => v === i).length).to.be.below(10);
    const gaps = moved.slice(1).map((v, i) => Math.abs(v - moved[i]!));
    expect(gaps.filter((g) => g < 10).length).to.be.below(50);
  });

  it('refuses indexes outside its range', () => {
    expect(() => new IndexPermutation(10, 1).at(10)).to.throw(RangeError);
    expect(() => new IndexPermutation(0, 1)).to.throw(RangeError);
  });

  it('derives distinct seeds for neighbouring items and streams', () => {
    const seeds = new Set<number>();
    for (let stream = 0; stream < 4; stream++) {
      for (let i = 0; i < 1000; i++) seeds.add(deriveSeed(1, stream, i));
    }
    expect(seeds.size).to.equal(4000);
  });
});
