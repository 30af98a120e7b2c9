import { ranked, type CountVector } from '../domain/count-vector.ts';
import { HOUR_LEVEL, MINUTE_LEVEL, decompose } from '../domain/time-tree.ts';
import { splitByHour, windowEndingNow, type Window } from '../domain/window.ts';
import type { CountryHourly } from '../storage/country-hourly.ts';
import type { Rollups } from '../storage/rollups.ts';

export interface AllCountriesStarts {
  readonly window: Window;
  readonly total: number;
  readonly countries: readonly { country: string; starts: number }[];
}

export interface OneCountryStarts {
  readonly window: Window;
  readonly starts: number;
  readonly hourly: readonly { hour: number; starts: number }[];
}

/**
 * The starts views (read model 1). Every answer is a bounded lookup: the window is cut into at
 * most 67 time-tree nodes read from at most 8 partitions, whatever its length; one country's
 * hourly series adds one slice of its own partition.
 */
export class CountryStartsQueries {
  constructor(
    private readonly deps: {
      rollups: Pick<Rollups, 'sumNodes'>;
      countryHourly: Pick<CountryHourly, 'read'>;
      retentionMs: number;
      now: () => number;
    },
  ) {}

  async allCountries(minutes: number): Promise<AllCountriesStarts> {
    const window = windowEndingNow(this.deps.now(), minutes, this.deps.retentionMs);
    const counts = await this.deps.rollups.sumNodes(decompose(window.from, window.to));
    const countries = ranked(counts);
    return { window, total: countries.reduce((sum, c) => sum + c.starts, 0), countries };
  }

  async oneCountry(country: string, minutes: number): Promise<OneCountryStarts> {
    const window = windowEndingNow(this.deps.now(), minutes, this.deps.retentionMs);
    const { whole, partial } = splitByHour(window);
    // Whole hours come from the country's own row per hour; the clipped edge hours from the
    // tree's sub-hour nodes (one partition each).
    const [rows, edges] = await Promise.all([
      whole.from < whole.to
        ? this.deps.countryHourly.read(country, whole.from, whole.to)
        : Promise.resolve([]),
      Promise.all(
        partial.map(async (h) => ({
          hour: h.hour,
          starts: (await this.edgeHour(h.from, h.to)).get(country) ?? 0,
        })),
      ),
    ]);
    const hourly = [
      ...edges.filter((e) => e.hour < whole.from),
      ...rows,
      ...edges.filter((e) => e.hour >= whole.to),
    ].filter((h) => h.starts > 0);
    return { window, starts: hourly.reduce((sum, h) => sum + h.starts, 0), hourly };
  }

  private edgeHour(from: number, to: number): Promise<CountVector> {
    return this.deps.rollups.sumNodes(decompose(from, to, MINUTE_LEVEL, HOUR_LEVEL - 1));
  }
}
