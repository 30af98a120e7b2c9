import { expect } from 'chai';
import fc from 'fast-check';
import { decodeCountsInto, encodeCounts } from '../../../src/storage/count-vector-codec.ts';

describe('count vector encoding', () => {
  it('is six bytes per country, sorted by code', () => {
    const buffer = encodeCounts(
      new Map([
        ['SE', 2],
        ['FI', 258],
      ]),
    );
    expect(buffer.toString('hex')).to.equal(
      Buffer.from('FI').toString('hex') +
        '00000102' +
        Buffer.from('SE').toString('hex') +
        '00000002',
    );
  });

  it('reads back what it wrote, zeros included', () => {
    const code = fc
      .tuple(fc.integer({ min: 65, max: 90 }), fc.integer({ min: 65, max: 90 }))
      .map(([a, b]) => String.fromCharCode(a, b));
    fc.assert(
      fc.property(fc.dictionary(code, fc.integer({ min: 0, max: 0xffffffff })), (dict) => {
        const vector = new Map(Object.entries(dict));
        expect(decodeCountsInto(encodeCounts(vector))).to.deep.equal(new Map([...vector].sort()));
      }),
    );
  });

  it('adds into an existing vector', () => {
    const sum = decodeCountsInto(
      encodeCounts(new Map([['FI', 2]])),
      new Map([
        ['FI', 1],
        ['SE', 4],
      ]),
    );
    expect([...sum]).to.deep.equal([
      ['FI', 3],
      ['SE', 4],
    ]);
  });

  it('refuses what it cannot represent', () => {
    expect(() => encodeCounts(new Map([['fi', 1]]))).to.throw(RangeError);
    expect(() => encodeCounts(new Map([['FI', -1]]))).to.throw(RangeError);
    expect(() => encodeCounts(new Map([['FI', 1.5]]))).to.throw(RangeError);
    expect(() => decodeCountsInto(Buffer.alloc(7))).to.throw(RangeError);
  });
});
