/**
 * Writes whose outcome must not depend on the order they land in carry an explicit write
 * timestamp: a version that grows with the knowledge the writer had (see docs/DATA-MODEL.md,
 * "Convergence"). Cassandra keeps the cell with the highest timestamp, so the writer that knew the
 * most wins, whenever it writes. These versions are small counters, not clock readings; every
 * write to the tables that use them uses them.
 */
export function writeTimestamp(version: number): number {
  // The driver encodes a JS number bound to a bigint marker (USING TIMESTAMP ?) as a Long.
  if (!Number.isSafeInteger(version) || version < 1) throw new RangeError(`bad version ${version}`);
  return version;
}
