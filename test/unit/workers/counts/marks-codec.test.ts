import { expect } from 'chai';
import fc from 'fast-check';
import { decodeMarks, encodeMarks } from '../../../../workers/counts/marks-codec.ts';

describe('marks of changed seconds', () => {
  it('gives back exactly the seconds and countries it was given', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 2 ** 42 }).map((s) => s * 1000),
            fc.uniqueArray(fc.stringMatching(/^[A-Z]{2}$/), { minLength: 1, maxLength: 5 }),
          ),
        ),
        (entries) => {
          const seconds = new Map<number, Set<string>>();
          for (const [second, countries] of entries) {
            const set = seconds.get(second) ?? new Set<string>();
            for (const c of countries) set.add(c);
            seconds.set(second, set);
          }
          expect(decodeMarks(encodeMarks(seconds))).to.deep.equal(seconds);
        },
      ),
    );
  });

  it('makes one member per second and country, readable as `second|country`', () => {
    const members = encodeMarks(new Map([[1_700_000_000_000, new Set(['FI', 'SE'])]]));
    expect(members).to.deep.equal(['1700000000000|FI', '1700000000000|SE']);
  });

  it('ignores a member that is not a mark rather than counting a wrong second', () => {
    expect(decodeMarks(['junk', '12|fi', '|FI', '1000|FIN', '2000|DE'])).to.deep.equal(
      new Map([[2000, new Set(['DE'])]]),
    );
  });
});
