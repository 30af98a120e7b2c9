/**
 * Time arithmetic in epoch milliseconds, UTC: the units and the rounding every module uses, so
 * that a minute or a day is spelled once. (UTC days have no daylight saving; leap seconds do not
 * exist in epoch time.)
 */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** The start of the `unit`-long span that holds `ms` (units aligned on the epoch). */
export function floorTo(ms: number, unit: number): number {
  return Math.floor(ms / unit) * unit;
}

/** The first `unit` boundary at or after `ms`. */
export function ceilTo(ms: number, unit: number): number {
  return Math.ceil(ms / unit) * unit;
}
