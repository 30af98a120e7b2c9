import { COUNTRY_CODES, popularityShares } from '../data/countries.ts';
import { MAX_SESSIONS_PER_PLAYER, sessionCounts } from '../data/population.ts';
import { SESSION_DURATION } from '../data/sessions.ts';

/**
 * The traffic's shape, taken from the public data set (1,001,169 events over November 2016: 500,584
 * starts, 500,582 completed sessions, 246 countries, ~19,600 players with 1–50 sessions) through
 * the generator's own modules, which reproduce its proportions. The model scales this shape to any
 * rate: more events per second means more sessions and more players, not busier ones.
 */
const PUBLIC_EVENTS = 1_001_169;
const counts = sessionCounts(PUBLIC_EVENTS);

export interface DataShape {
  readonly startsPerEvent: number;
  readonly completedPerEvent: number;
  /** Events per POST /v1/batches, as clients and the loader send them. */
  readonly eventsPerBatch: number;
  /** Each country's share of starts, most popular first. */
  readonly countryShares: readonly number[];
  /** The busiest player's completed sessions per day, and the average player's. */
  readonly busiestPlayerSessionsPerDay: number;
  readonly meanPlayerSessionsPerDay: number;
  /** No session is shorter: its two events never share a 20 ms micro-batch in live traffic. */
  readonly minSessionSeconds: number;
}

// The public file covers 30 days, over which every player has 1 to 50 completed sessions.
const WINDOW_DAYS = 30;

export const DATA_SHAPE: DataShape = {
  startsPerEvent: (counts.complete + counts.orphanStarts) / PUBLIC_EVENTS,
  completedPerEvent: counts.complete / PUBLIC_EVENTS,
  eventsPerBatch: 10,
  countryShares: popularityShares(COUNTRY_CODES.length),
  busiestPlayerSessionsPerDay: MAX_SESSIONS_PER_PLAYER / WINDOW_DAYS,
  meanPlayerSessionsPerDay: (1 + MAX_SESSIONS_PER_PLAYER) / 2 / WINDOW_DAYS,
  minSessionSeconds: SESSION_DURATION.minSeconds,
};

/** The chance that `draws` independent starts include at least one of a country of this share. */
export function chanceOfAny(share: number, draws: number): number {
  if (draws <= 0 || share <= 0) return 0;
  // 1 - (1 - p)^n without losing precision for small p or large n.
  return -Math.expm1(draws * Math.log1p(-share));
}

/** Expected number of distinct countries among `draws` starts: the entries of a counts blob. */
export function expectedCountries(shares: readonly number[], draws: number): number {
  return shares.reduce((sum, share) => sum + chanceOfAny(share, draws), 0);
}
