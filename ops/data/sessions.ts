import { dashed, uuidHex } from './ids.ts';
import { deriveSeed, fmix32 } from './permutation.ts';
import type { Population } from './population.ts';
import { Random } from './random.ts';

/** One session of a generated data set; times in whole epoch seconds (the files have no fraction). */
export interface Session {
  readonly sessionId: string;
  readonly playerId: string;
  readonly country: string;
  /** Undefined for an end without its start. */
  readonly start: number | undefined;
  /** Undefined for a start without its end. */
  readonly end: number | undefined;
}

export interface SessionLayout {
  readonly seed: number;
  /** The window every event falls in, [from, to], epoch seconds. */
  readonly from: number;
  readonly to: number;
  readonly complete: number;
  readonly orphanStarts: number;
}

const MINUTE = 60;
const HOUR = 3600;

/**
 * Log-normal durations, in seconds: median 25 minutes, most between 5 minutes and 2 hours, at
 * least a minute and at most 8 hours. Exported for the capacity model (ops/capacity/).
 */
export const SESSION_DURATION = {
  medianSeconds: 25 * MINUTE,
  sigma: 0.9,
  minSeconds: MINUTE,
  maxSeconds: 8 * HOUR,
} as const;
const MEDIAN_DURATION = SESSION_DURATION.medianSeconds;
const DURATION_SIGMA = SESSION_DURATION.sigma;
const MAX_DURATION = SESSION_DURATION.maxSeconds;
// Players mostly play from home; the rest is travel (or a VPN).
const HOME_SHARE = 0.9;

/**
 * Session `j` of a data set, derived from the seed and `j` alone, so that each of its two events
 * can be written wherever the shuffle puts it without remembering the other. Sessions [0,
 * complete) are completed; then come the starts without end, then the ends without start.
 *
 * A player's completed sessions each get their own slice of the window (the n-th of `count`
 * equal slices), so they never overlap and spread over the whole window as a regular player's do.
 */
export function sessionAt(j: number, layout: SessionLayout, population: Population): Session {
  const random = new Random(deriveSeed(layout.seed, 1, j));
  const sessionId = dashed(uuidHex(random, fmix32(j ^ deriveSeed(layout.seed, 3, 0))));
  const span = layout.to - layout.from;
  if (j < layout.complete) {
    const { player, nth, count } = population.ownerOf(j);
    const slice = span / count;
    const duration = Math.max(1, Math.min(drawDuration(random), Math.floor(slice * 0.9)));
    const start = Math.floor(layout.from + nth * slice + random.float() * (slice - duration));
    return {
      sessionId,
      playerId: population.ids[player] ?? '',
      country: countryOf(random, population, player),
      start,
      end: start + duration,
    };
  }
  const player = random.int(0, population.size - 1);
  const common = {
    sessionId,
    playerId: population.ids[player] ?? '',
    country: countryOf(random, population, player),
  };
  // A start without end is still running when the file ends; an end without start began before it.
  const edge = Math.floor(random.float() * Math.min(HOUR, span));
  return j < layout.complete + layout.orphanStarts
    ? { ...common, start: layout.to - edge, end: undefined }
    : { ...common, start: undefined, end: layout.from + edge };
}

function countryOf(random: Random, population: Population, player: number): string {
  return random.chance(HOME_SHARE)
    ? (population.homes[player] ?? '')
    : population.popularity.draw(random);
}

function drawDuration(random: Random): number {
  // Box-Muller; 1 - float() is in (0, 1], so the logarithm is finite.
  const z = Math.sqrt(-2 * Math.log(1 - random.float())) * Math.cos(2 * Math.PI * random.float());
  const seconds = Math.round(Math.exp(Math.log(MEDIAN_DURATION) + DURATION_SIGMA * z));
  return Math.min(MAX_DURATION, Math.max(SESSION_DURATION.minSeconds, seconds));
}
