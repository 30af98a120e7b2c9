/**
 * The seconds whose start facts changed, by shard, each with the countries that changed in it: the
 * input of a rollup. Countries travel up the tree so that the hour level knows which per-country
 * hourly rows to rewrite.
 */
export type DirtySeconds = Map<number, Set<string>>;

/** Dirty seconds of each shard of the start facts (src/domain/shard.ts). */
export type DirtyShards = Map<number, DirtySeconds>;

export function markDirty(
  into: DirtyShards,
  shard: number,
  secondStart: number,
  country: string,
): void {
  let seconds = into.get(shard);
  if (!seconds) into.set(shard, (seconds = new Map<number, Set<string>>()));
  const countries = seconds.get(secondStart);
  if (countries) countries.add(country);
  else seconds.set(secondStart, new Set([country]));
}

export function mergeDirty(into: DirtyShards, from: DirtyShards): void {
  for (const [shard, seconds] of from) {
    for (const [second, countries] of seconds) {
      for (const country of countries) markDirty(into, shard, second, country);
    }
  }
}

/** How many (shard, second) pairs are dirty. */
export function dirtyCount(dirty: DirtyShards): number {
  let n = 0;
  for (const seconds of dirty.values()) n += seconds.size;
  return n;
}
