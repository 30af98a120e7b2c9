/**
 * The seconds whose start facts changed, each with the countries that changed in it: the input
 * of a rollup. Countries travel up the tree so that the hour level knows which per-country hourly
 * rows to rewrite.
 */
export type DirtySeconds = Map<number, Set<string>>;

export function markDirty(into: DirtySeconds, secondStart: number, country: string): void {
  const countries = into.get(secondStart);
  if (countries) countries.add(country);
  else into.set(secondStart, new Set([country]));
}

export function mergeDirty(into: DirtySeconds, from: DirtySeconds): void {
  for (const [second, countries] of from) {
    for (const country of countries) markDirty(into, second, country);
  }
}
