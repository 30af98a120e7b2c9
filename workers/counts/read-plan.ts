import { HOUR_MS, MINUTE_MS, SECOND_MS, floorTo } from '../../src/domain/duration.ts';

/**
 * Minutes younger than this are "live": live traffic puts thousands of facts in each, so only
 * the changed seconds are read (slices). Older minutes hold the few facts of history, and a
 * backfill changes seconds in hundreds of them: those are read whole, many per request.
 */
export const LIVE_WINDOW_MS = 2 * HOUR_MS;
/** Changed seconds of a live minute this close together share one slice. */
export const MAX_SECONDS_GAP_MS = 5 * SECOND_MS;
/** Whole minutes one read asks for (`minute IN …`). */
export const MINUTES_PER_READ = 50;

export interface SecondReads {
  /** [from, to) ranges inside one live minute each. */
  readonly slices: { readonly from: number; readonly to: number }[];
  /** Groups of whole minutes, one read each. */
  readonly minutes: number[][];
}

/** The reads that recount the given seconds (pure: the plan, not the reading). */
export function secondReads(seconds: Iterable<number>, now: number): SecondReads {
  const byMinute = new Map<number, number[]>();
  for (const s of seconds) {
    const minute = floorTo(s, MINUTE_MS);
    const list = byMinute.get(minute);
    if (list) list.push(s);
    else byMinute.set(minute, [s]);
  }
  const slices: { from: number; to: number }[] = [];
  const whole: number[] = [];
  for (const [minute, list] of byMinute) {
    if (minute + MINUTE_MS <= now - LIVE_WINDOW_MS) {
      whole.push(minute);
      continue;
    }
    list.sort((a, b) => a - b);
    let from = list[0] as number;
    let last = from;
    for (const s of list.slice(1)) {
      if (s - last > MAX_SECONDS_GAP_MS) {
        slices.push({ from, to: last + SECOND_MS });
        from = s;
      }
      last = s;
    }
    slices.push({ from, to: last + SECOND_MS });
  }
  whole.sort((a, b) => a - b);
  const minutes: number[][] = [];
  for (let i = 0; i < whole.length; i += MINUTES_PER_READ)
    minutes.push(whole.slice(i, i + MINUTES_PER_READ));
  return { slices, minutes };
}
