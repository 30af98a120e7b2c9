/**
 * Start counts of several countries: country code -> count. Zero entries are meaningful inside the
 * time tree (a country whose starts were all retracted must still be rewritten as 0), and are
 * dropped only when a view is answered.
 */
export type CountVector = Map<string, number>;

/** Adds `source` into `target`, keeping zero entries. */
export function addInto(target: CountVector, source: ReadonlyMap<string, number>): CountVector {
  for (const [country, n] of source) target.set(country, (target.get(country) ?? 0) + n);
  return target;
}

/** The positive entries, most starts first, then by country code. */
export function ranked(vector: ReadonlyMap<string, number>): { country: string; starts: number }[] {
  return [...vector]
    .filter(([, n]) => n > 0)
    .map(([country, starts]) => ({ country, starts }))
    .sort(
      (x, y) => y.starts - x.starts || (x.country < y.country ? -1 : x.country > y.country ? 1 : 0),
    );
}
