import { expect } from 'chai';
import { addInto, ranked } from '../../../src/domain/count-vector.ts';

describe('count vectors', () => {
  it('add entry by entry and keep zeros', () => {
    const sum = addInto(
      new Map([['FI', 2]]),
      new Map([
        ['FI', 3],
        ['SE', 0],
      ]),
    );
    expect([...sum]).to.deep.equal([
      ['FI', 5],
      ['SE', 0],
    ]);
  });

  it('rank by starts descending, then country ascending, without zeros', () => {
    const vector = new Map([
      ['SE', 3],
      ['FI', 3],
      ['DE', 0],
      ['AR', 1],
      ['NO', 7],
    ]);
    expect(ranked(vector)).to.deep.equal([
      { country: 'NO', starts: 7 },
      { country: 'FI', starts: 3 },
      { country: 'SE', starts: 3 },
      { country: 'AR', starts: 1 },
    ]);
  });
});
