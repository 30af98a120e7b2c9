import type { Random } from './random.ts';

/**
 * The 32 hex digits of a version-4 UUID, like the ids of the public data set. The first 8 digits
 * are `unique`, a 32-bit value the caller keeps distinct per id (a bijection of an index), so ids
 * never collide however many are made; the other 88 bits are random.
 */
export function uuidHex(random: Random, unique: number): string {
  const hex = (unique >>> 0).toString(16).padStart(8, '0') + random.hex(24);
  const variant = '89ab'.charAt(random.int(0, 3));
  return `${hex.slice(0, 12)}4${hex.slice(13, 16)}${variant}${hex.slice(17)}`;
}

/** The canonical 8-4-4-4-12 form. */
export function dashed(hex: string): string {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
