import { formatTimestamp } from '../../domain/timestamp.ts';
import { INVALID_COUNTRY, INVALID_HOURS, countryCode, obeys } from '../../domain/rules.ts';
import { parseHours } from '../../domain/window.ts';
import type { CountryStartsQueries } from '../../queries/country-starts.ts';
import type { Guard } from '../access/access.ts';
import type { RouteModule } from '../app.ts';
import { BadRequestError } from '../errors.ts';
import { PATHS, routed } from '../paths.ts';

function hoursParam(raw: unknown): { hours: number; minutes: number } {
  const parsed = parseHours(raw);
  if (!parsed.ok) throw new BadRequestError('invalid_hours', INVALID_HOURS);
  return parsed;
}

/** GET /v1/countries/starts and GET /v1/countries/{country}/starts. */
export function countryRoutes(
  queries: Pick<CountryStartsQueries, 'allCountries' | 'oneCountry'>,
  guard: Guard,
): RouteModule {
  return (router) => {
    router.get(PATHS.allCountriesStarts, guard('read'), async (ctx) => {
      const { hours, minutes } = hoursParam(ctx.query.hours);
      const result = await queries.allCountries(minutes);
      ctx.body = {
        from: formatTimestamp(result.window.from),
        to: formatTimestamp(result.window.to),
        hours,
        total: result.total,
        countries: result.countries,
      };
    });

    router.get(routed(PATHS.countryStarts), guard('read'), async (ctx) => {
      const raw = ctx.params.country ?? '';
      if (!obeys(countryCode, raw)) throw new BadRequestError('invalid_country', INVALID_COUNTRY);
      const country = raw.toUpperCase();
      const { hours, minutes } = hoursParam(ctx.query.hours);
      const result = await queries.oneCountry(country, minutes);
      ctx.body = {
        country,
        from: formatTimestamp(result.window.from),
        to: formatTimestamp(result.window.to),
        hours,
        starts: result.starts,
        hourly: result.hourly.map((h) => ({ hour: formatTimestamp(h.hour), starts: h.starts })),
      };
    });
  };
}
