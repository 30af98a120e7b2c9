import { HOUR_MS, MINUTE_MS, ceilTo, floorTo } from './duration.ts';
import { hours as hoursRule, obeys } from './rules.ts';

/**
 * The query window of the starts views (docs/CONTRACT.md §3): `hours` X in (0, 8760], rounded to whole
 * minutes (at least one); the window is [from, to) where `to` is the start of the minute after
 * `now` (the current minute counts) and `from = to - X hours`.
 */

export interface Window {
  /** Inclusive, epoch ms, on a minute boundary. */
  readonly from: number;
  /** Exclusive, epoch ms, on a minute boundary. */
  readonly to: number;
}

export type ParsedHours = { ok: true; hours: number; minutes: number } | { ok: false };

// A plain decimal: no sign, exponent, hex, whitespace, Infinity or NaN.
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

export function parseHours(raw: unknown): ParsedHours {
  if (typeof raw !== 'string' || raw.length > 32 || !DECIMAL.test(raw)) return { ok: false };
  const hours = Number(raw);
  if (!obeys(hoursRule, hours)) return { ok: false };
  return { ok: true, hours, minutes: Math.max(1, Math.round(hours * 60)) };
}

/**
 * The window of `minutes` ending with the current minute. When the retention is shorter than the
 * window (only possible when RETENTION_SECONDS is configured below a year), `from` moves up to the
 * first whole minute inside the retention: nothing older is ever served.
 */
export function windowEndingNow(nowMs: number, minutes: number, retentionMs: number): Window {
  const to = floorTo(nowMs, MINUTE_MS) + MINUTE_MS;
  const oldestServed = ceilTo(nowMs - retentionMs, MINUTE_MS);
  return { from: Math.min(to, Math.max(to - minutes * MINUTE_MS, oldestServed)), to };
}

/** A clipped part of one UTC hour. */
export interface PartialHour {
  readonly hour: number;
  readonly from: number;
  readonly to: number;
}

/**
 * The UTC hours a window overlaps, as the range of whole hours inside it (`[from, to)`, empty when
 * `from === to`) and at most two clipped hours at its edges, oldest first. Computed from the edges
 * only: a year-long window costs no more than an hour-long one.
 */
export function splitByHour(window: Window): {
  whole: { from: number; to: number };
  partial: PartialHour[];
} {
  const { from, to } = window;
  if (from >= to) return { whole: { from, to: from }, partial: [] };
  const firstHour = floorTo(from, HOUR_MS);
  const lastHour = floorTo(to - 1, HOUR_MS);
  if (firstHour === lastHour) {
    const isWhole = from === firstHour && to === firstHour + HOUR_MS;
    return isWhole
      ? { whole: { from, to }, partial: [] }
      : { whole: { from, to: from }, partial: [{ hour: firstHour, from, to }] };
  }
  const partial: PartialHour[] = [];
  let wholeFrom = firstHour;
  let wholeTo = lastHour + HOUR_MS;
  if (from !== firstHour) {
    partial.push({ hour: firstHour, from, to: firstHour + HOUR_MS });
    wholeFrom = firstHour + HOUR_MS;
  }
  if (to !== lastHour + HOUR_MS) {
    partial.push({ hour: lastHour, from: lastHour, to });
    wholeTo = lastHour;
  }
  return { whole: { from: wholeFrom, to: Math.max(wholeFrom, wholeTo) }, partial };
}
