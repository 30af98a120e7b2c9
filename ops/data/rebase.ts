import { parseTimestamp } from '../../src/domain/timestamp.ts';

/**
 * Moving a whole file in time by one offset, so that data from the past (the public data set is
 * from 2016) lands in the service's retention with every gap between events kept.
 */

/** The ts of one line (a JSON object with a string `ts`) in epoch ms, or undefined. */
export function lineTimestamp(line: string): number | undefined {
  const event = parseObject(line);
  if (event === undefined || typeof event.ts !== 'string') return undefined;
  const parsed = parseTimestamp(event.ts);
  return parsed.ok ? parsed.ms : undefined;
}

/**
 * The offset that makes `newestMs` the present, `nowMs`. Whole seconds, rounded towards the past:
 * a shifted ts then keeps its fraction digits as they were, and the newest event is at most now,
 * never in the future.
 */
export function rebaseOffsetMs(newestMs: number, nowMs: number): number {
  return Math.floor((nowMs - newestMs) / 1000) * 1000;
}

const ISO_PARTS =
  /^(\d{4}-\d{2}-\d{2})([Tt ])(\d{2}:\d{2}:\d{2})((?:[.,]\d{1,9})?(?:[Zz]|[+-]\d{2}(?::?\d{2})?)?)$/;

/**
 * `text` moved by `offsetMs` (whole seconds), written the way it was: the same date-time
 * separator, fraction digits and zone. The wall-clock part alone is moved: with the zone kept as
 * written, moving the wall clock moves the instant by the same amount. A ts that does not parse
 * is returned unchanged, for the service to reject it as it would have.
 */
export function shiftTimestamp(text: string, offsetMs: number): string {
  if (offsetMs % 1000 !== 0) throw new RangeError('the offset must be whole seconds');
  const m = ISO_PARTS.exec(text);
  if (!m || !parseTimestamp(text).ok) return text;
  const [, date = '', separator = 'T', time = '', rest = ''] = m;
  const wallClock = Date.parse(`${date}T${time}Z`) + offsetMs;
  const shifted = new Date(wallClock).toISOString();
  if (!/^\d{4}-/.test(shifted)) return text; // moved out of four-digit years: leave it to the service
  return `${shifted.slice(0, 10)}${separator}${shifted.slice(11, 19)}${rest}`;
}

/** A decoded line with its ts moved by `offsetMs`; anything but an object with a string ts is left as it is. */
export function shiftEvent(value: unknown, offsetMs: number): unknown {
  if (!isObject(value) || typeof value.ts !== 'string') return value;
  return { ...value, ts: shiftTimestamp(value.ts, offsetMs) };
}

function parseObject(line: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
