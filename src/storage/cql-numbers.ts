import cassandra from 'cassandra-driver';

/** A bigint column's value (WRITETIME(…), a counter) as a JS number: the driver gives a Long. */
export function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value instanceof cassandra.types.Long) return value.toNumber();
  throw new TypeError(`not a number: ${String(value)}`);
}
