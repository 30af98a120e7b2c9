import type { Random } from '../../ops/data/random.ts';
import { endEvent, startEvent, type RawEvent } from './events.ts';
import { MINUTE_MS, HOUR_MS, DAY_MS } from '../../src/domain/duration.ts';

/** What a generated event is meant to exercise, and whether the API must refuse it. */
export interface GeneratedEvent {
  readonly event: RawEvent;
  readonly mustReject?: 'expired' | 'ts_in_future';
}

/**
 * Several thousand events full of the awkward cases: halves in either order and far apart,
 * orphans, ends before starts, exact duplicates, conflicting duplicates (other ts, country or
 * player), many starts in one second, starts on minute/hour/day edges, events a few minutes in
 * the future, expired and too-far-future events.
 */
export function awkwardEvents(random: Random, now: number, sessions: number): GeneratedEvent[] {
  const countries = ['FI', 'SE', 'NO', 'DK', 'DE', 'FR', 'US', 'BR', 'JP', 'IN', 'PK', 'GH'];
  const players = Array.from({ length: Math.max(10, Math.floor(sessions / 12)) }, () =>
    random.hex(32),
  );
  const out: GeneratedEvent[] = [];
  const edge = () => {
    // Minute, hour and day boundaries, and the instants right around them.
    const unit = random.pick([MINUTE_MS, HOUR_MS, DAY_MS]);
    const back = random.int(0, unit === DAY_MS ? 300 : 2000);
    return Math.floor(now / unit) * unit - back * unit + random.pick([-1, 0, 1, 0, 0]);
  };
  const hotSecond = Math.floor(now / 1000) * 1000 - 90_000;

  for (let i = 0; i < sessions; i++) {
    const id = random.uuid();
    const player = random.pick(players);
    const country = random.pick(countries);
    const kind = random.int(0, 99);
    const start =
      kind < 10
        ? edge()
        : kind < 15
          ? hotSecond + random.int(0, 999)
          : now - random.int(0, 360) * DAY_MS - random.int(0, DAY_MS);
    const end = Math.min(start + random.int(0, 3 * HOUR_MS), now - 1000);
    const s = startEvent(id, player, country, start);
    const e = endEvent(id, player, end);

    if (kind < 70) out.push({ event: s }, { event: e });
    else if (kind < 75)
      out.push({ event: s }); // never ends
    else if (kind < 78)
      out.push({ event: e }); // start never arrives
    else if (kind < 82)
      out.push({ event: s }, { event: endEvent(id, player, start - random.int(1, HOUR_MS)) });
    else if (kind < 86) out.push({ event: s }, { event: s }, { event: e }, { event: e });
    else if (kind < 89)
      out.push(
        { event: s },
        { event: e },
        {
          event: startEvent(
            id,
            player,
            random.pick(countries),
            Math.min(start + random.int(-HOUR_MS, HOUR_MS), now),
          ),
        },
      );
    else if (kind < 91)
      out.push(
        { event: s },
        { event: e },
        { event: endEvent(id, player, Math.min(end + random.int(-HOUR_MS, HOUR_MS), now)) },
      );
    else if (kind < 93) out.push({ event: s }, { event: endEvent(id, random.pick(players), end) });
    else if (kind < 95) {
      const soon = now + random.int(0, 3 * MINUTE_MS);
      out.push(
        { event: startEvent(id, player, country, soon) },
        { event: endEvent(id, player, soon + MINUTE_MS) },
      );
    } else if (kind < 97)
      out.push({
        event: startEvent(id, player, country, now - 366 * DAY_MS),
        mustReject: 'expired',
      });
    else
      out.push({ event: endEvent(id, player, now + 10 * MINUTE_MS), mustReject: 'ts_in_future' });
  }
  return out;
}

/** The valid ones of `awkwardEvents`, in batches of ten as clients send them. */
export function validAwkwardBatches(random: Random, now: number, sessions: number): RawEvent[][] {
  const events = awkwardEvents(random, now, sessions)
    .filter((g) => !g.mustReject)
    .map((g) => g.event);
  const batches: RawEvent[][] = [];
  for (let i = 0; i < events.length; i += 10) batches.push(events.slice(i, i + 10));
  return batches;
}
