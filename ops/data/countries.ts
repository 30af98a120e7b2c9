import type { Random } from './random.ts';

/**
 * The ISO 3166-1 alpha-2 codes of the 249 officially assigned countries and territories, less the
 * three with no population at all (AQ Antarctica, BV Bouvet Island, HM Heard and McDonald
 * Islands): nobody plays from there, and 246 is what the public data set has.
 */
export const COUNTRY_CODES: readonly string[] = `
AD AE AF AG AI AL AM AO AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT
BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH
ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HN HR HT
HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR
LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF
NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC
SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`
  .trim()
  .split(/\s+/);

/**
 * The share of draws of the country of each popularity rank (first = most popular): Zipf-like,
 * 1 / rank^exponent, normalised. What CountryPopularity draws, and what the capacity model
 * (ops/capacity/) takes as the countries' shares of starts.
 */
export function popularityShares(countries: number, exponent = 1): number[] {
  const weights = popularityWeights(countries, exponent);
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((w) => w / sum);
}

function popularityWeights(countries: number, exponent: number): number[] {
  return Array.from({ length: countries }, (_, rank) => 1 / (rank + 1) ** exponent);
}

/** How often each country is drawn: Zipf-like, so a few countries dominate and many are rare. */
export class CountryPopularity {
  /** Countries from the most to the least popular. */
  readonly ranked: readonly string[];
  private readonly cumulative: Float64Array;

  /** `exponent` 1 gives the top country about 16% of the draws and the last about 0.07%. */
  constructor(random: Random, exponent = 1) {
    // Which countries are popular is itself drawn from the seed: no claim about real markets.
    this.ranked = random.shuffle([...COUNTRY_CODES]);
    this.cumulative = new Float64Array(this.ranked.length);
    let sum = 0;
    // Same arithmetic as ever (running sum, then divided), so generated files stay identical.
    popularityWeights(this.ranked.length, exponent).forEach((weight, rank) => {
      sum += weight;
      this.cumulative[rank] = sum;
    });
    this.cumulative.forEach((value, i) => (this.cumulative[i] = value / sum));
  }

  /** The country whose share of [0, 1) holds `u`. */
  at(u: number): string {
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (u < (this.cumulative[mid] ?? 1)) hi = mid;
      else lo = mid + 1;
    }
    return this.ranked[lo] ?? '';
  }

  draw(random: Random): string {
    return this.at(random.float());
  }
}
