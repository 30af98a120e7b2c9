import { expect } from 'chai';
import { COUNTRY_CODES, CountryPopularity } from '../../../ops/data/countries.ts';
import { Random } from '../../../ops/data/random.ts';

describe('the country codes of generated data', () => {
  it('are 246 distinct ISO 3166-1 alpha-2 codes that Intl knows by name', () => {
    expect(COUNTRY_CODES).to.have.length(246);
    expect(new Set(COUNTRY_CODES).size).to.equal(246);
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const code of COUNTRY_CODES) {
      expect(code).to.match(/^[A-Z]{2}$/);
      const name = names.of(code);
      expect(name, code).to.not.be.oneOf([undefined, code, 'Unknown Region']);
    }
    // Codes Intl names that ISO 3166-1 does not assign to a country.
    expect(COUNTRY_CODES).to.not.include.members(['EU', 'UK', 'XK']);
  });

  it('are drawn with a popularity that falls with rank, the same for the same seed', () => {
    const popularity = new CountryPopularity(new Random(5));
    expect(new CountryPopularity(new Random(5)).ranked).to.deep.equal(popularity.ranked);
    expect(popularity.at(0)).to.equal(popularity.ranked[0]);
    expect(popularity.at(0.999_999)).to.equal(popularity.ranked.at(-1));
    const random = new Random(9);
    const counts = new Map<string, number>();
    for (let i = 0; i < 50_000; i++) {
      const c = popularity.draw(random);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const first = counts.get(popularity.ranked[0]!)!;
    const tenth = counts.get(popularity.ranked[9]!)!;
    expect(first / 50_000).to.be.within(0.14, 0.19);
    expect(first / tenth).to.be.within(7, 13);
  });
});
