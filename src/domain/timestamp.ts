/**
 * Event time parsing. The contract accepts ISO-8601 date-times with optional fractional seconds
 * (any precision; truncated to the millisecond, never rounded up into the next one) and an
 * optional zone (`Z`, `+02:00`, `+0200`, `+02`); no zone means UTC. Calendar validity is checked
 * (no 31 April, 29 February only in leap years); leap seconds are refused.
 */

export const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?$/;

export const NOT_ISO_DATE_TIME =
  'is not an ISO-8601 date-time (YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM])';

export type ParsedTimestamp = { ok: true; ms: number } | { ok: false; reason: string };

export function parseTimestamp(text: string): ParsedTimestamp {
  const m = ISO_DATE_TIME.exec(text);
  if (!m)
    return {
      ok: false,
      reason: NOT_ISO_DATE_TIME,
    };
  const num = (i: number): number => Number(m[i] ?? 0);
  const [year, month, day, hour, minute, second] = [num(1), num(2), num(3), num(4), num(5), num(6)];
  const fraction = m[7] ?? '';
  const sign = m[9];
  const zoneHours = num(10);
  const zoneMinutes = num(11);
  if (!isValidDate(year, month, day)) return { ok: false, reason: 'is not a calendar date' };
  if (hour > 23 || minute > 59 || second > 59)
    return { ok: false, reason: 'has an out-of-range time of day' };
  if (zoneHours > 23 || zoneMinutes > 59)
    return { ok: false, reason: 'has an out-of-range zone offset' };

  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear puts them back where they belong.
  const utc = year < 100 ? new Date(local).setUTCFullYear(year) : local;
  const offsetMs = (zoneHours * 60 + zoneMinutes) * 60_000 * (sign === '-' ? -1 : 1);
  return { ok: true, ms: utc - offsetMs };
}

/** The contract's output format: ISO-8601 UTC with milliseconds and `Z`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
