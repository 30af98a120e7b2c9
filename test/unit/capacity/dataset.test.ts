import { expect } from 'chai';
import { DATA_SHAPE, chanceOfAny, expectedCountries } from '../../../ops/capacity/dataset.ts';

describe('the capacity model: the data set’s shape', () => {
  it('splits events as the public data set does: half starts, half completing a session', () => {
    expect(DATA_SHAPE.startsPerEvent).to.equal(500_584 / 1_001_169);
    expect(DATA_SHAPE.completedPerEvent).to.equal(500_582 / 1_001_169);
    expect(DATA_SHAPE.eventsPerBatch).to.equal(10);
  });

  it('gives 246 countries shares that sum to one, the most popular about 16 %', () => {
    const shares = DATA_SHAPE.countryShares;
    expect(shares).to.have.length(246);
    expect(shares.reduce((a, b) => a + b, 0)).to.be.closeTo(1, 1e-12);
    expect(shares[0]).to.be.within(0.15, 0.17);
    expect(shares[1]).to.be.closeTo((shares[0] ?? 0) / 2, 1e-12);
  });

  it('counts the countries in a blob of n starts: one for one start, all for very many', () => {
    const shares = DATA_SHAPE.countryShares;
    expect(expectedCountries(shares, 0)).to.equal(0);
    expect(expectedCountries(shares, 1)).to.be.closeTo(1, 1e-9);
    expect(expectedCountries(shares, 1e7)).to.be.closeTo(246, 1e-6);
    expect(chanceOfAny(0.5, 2)).to.be.closeTo(0.75, 1e-12);
  });

  it('keeps a player’s sessions as the generator makes them: 1 to 50 per 30 days', () => {
    expect(DATA_SHAPE.busiestPlayerSessionsPerDay).to.be.closeTo(50 / 30, 1e-12);
    expect(DATA_SHAPE.meanPlayerSessionsPerDay).to.be.closeTo(25.5 / 30, 1e-12);
    expect(DATA_SHAPE.minSessionSeconds).to.equal(60);
  });
});
