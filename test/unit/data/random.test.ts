import { expect } from 'chai';
import { Random } from '../../../ops/data/random.ts';

describe('seeded random source', () => {
  it('gives the same sequence for the same seed', () => {
    const a = new Random(42);
    const b = new Random(42);
    expect(Array.from({ length: 20 }, () => a.int(0, 1e6))).to.deep.equal(
      Array.from({ length: 20 }, () => b.int(0, 1e6)),
    );
  });

  it('gives unrelated sequences for neighbouring small seeds (a raw 32-bit xoroshiro seed does not)', () => {
    const firsts = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => new Random(seed).float());
    expect(new Set(firsts.map((f) => f.toFixed(3))).size).to.equal(firsts.length);
    expect(Math.max(...firsts) - Math.min(...firsts)).to.be.greaterThan(0.3);
  });

  it('stays inside the asked range and hits both ends', () => {
    const r = new Random(7);
    const seen = new Set(Array.from({ length: 2000 }, () => r.int(3, 9)));
    expect([...seen].sort()).to.deep.equal([3, 4, 5, 6, 7, 8, 9]);
  });
});
