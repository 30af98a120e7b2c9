import { CountryPopularity } from './countries.ts';
import { uuidHex } from './ids.ts';
import { deriveSeed, fmix32 } from './permutation.ts';
import { Random } from './random.ts';

/** Sessions per player, as in the public data set: every player has 1 to 50 completed ones. */
export const MAX_SESSIONS_PER_PLAYER = 50;

/**
 * How many sessions of each kind make exactly `events` events. Orphans are as rare as in the
 * public data set (of 500,587 sessions, 2 starts lack their end and 3 ends their start), with at
 * least one of each kind once there are a few events, so that small files have them too.
 */
export function sessionCounts(events: number): {
  complete: number;
  orphanStarts: number;
  orphanEnds: number;
} {
  if (!Number.isInteger(events) || events < 2) throw new RangeError('at least 2 events');
  const sessions = events / 2;
  let orphanStarts = events < 4 ? 0 : Math.max(1, Math.round((sessions * 2) / 500_587));
  const orphanEnds = events < 4 ? 0 : Math.max(1, Math.round((sessions * 3) / 500_587));
  if ((events - orphanStarts - orphanEnds) % 2 === 1) orphanStarts += 1;
  return { complete: (events - orphanStarts - orphanEnds) / 2, orphanStarts, orphanEnds };
}

/**
 * The players of a data set: each has an id, a home country and a number of completed sessions
 * (uniform in 1..50, the last player's cut so the total is exact). Completed session `j` belongs
 * to the player whose range of session indexes holds it; memory grows with players, not events.
 */
export class Population {
  readonly popularity: CountryPopularity;
  readonly ids: readonly string[];
  readonly homes: readonly string[];
  /** Player p owns completed sessions [firstSession[p], firstSession[p + 1]). */
  private readonly firstSession: Float64Array;

  constructor(seed: number, completeSessions: number) {
    const random = new Random(deriveSeed(seed, 0, 0));
    this.popularity = new CountryPopularity(random);
    const firsts = [0];
    const ids: string[] = [];
    const homes: string[] = [];
    for (let total = 0; total < completeSessions;) {
      const count = Math.min(random.int(1, MAX_SESSIONS_PER_PLAYER), completeSessions - total);
      total += count;
      firsts.push(total);
      ids.push(uuidHex(random, fmix32(ids.length ^ deriveSeed(seed, 2, 0))));
      homes.push(this.popularity.draw(random));
    }
    this.firstSession = Float64Array.from(firsts);
    this.ids = ids;
    this.homes = homes;
  }

  get size(): number {
    return this.ids.length;
  }

  /** The owner of completed session `j`, and which of the owner's `count` sessions it is. */
  ownerOf(j: number): { player: number; nth: number; count: number } {
    let lo = 0;
    let hi = this.ids.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.firstSession[mid] ?? Infinity) <= j) lo = mid;
      else hi = mid - 1;
    }
    const first = this.firstSession[lo] ?? 0;
    return { player: lo, nth: j - first, count: (this.firstSession[lo + 1] ?? first) - first };
  }
}
