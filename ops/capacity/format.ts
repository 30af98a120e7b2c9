/**
 * Numbers as the capacity tables print them: whole numbers with separators from 100 up, a few
 * significant digits below (a rate of 0.97 rollups/s is not 1), and bytes in decimal units, since
 * disks and Cassandra's 100 MB guidance are decimal.
 */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '∞';
  if (value === 0) return '0';
  if (Math.abs(value) < 0.01) return '< 0.01';
  if (Math.abs(value) < 10) return trim(value.toFixed(2));
  if (Math.abs(value) < 100) return trim(value.toFixed(1));
  return Math.round(value).toLocaleString('en-US');
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];

export function bytes(value: number): string {
  if (!Number.isFinite(value)) return '∞';
  let unit = 0;
  let v = value;
  while (Math.abs(v) >= 1000 && unit < UNITS.length - 1) {
    v /= 1000;
    unit++;
  }
  const digits = unit === 0 || Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${trim(v.toFixed(digits))} ${UNITS[unit]}`;
}

export function percent(share: number): string {
  return `${num(share * 100)} %`;
}

function trim(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
