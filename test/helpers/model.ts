import type { Posted } from './client.ts';
import type { RawEvent } from './events.ts';

/**
 * What the views must say, computed straight from the accepted events, independently of the
 * service's code: the oracle of the model-based tests. It follows the documented rules — a
 * session is completed when its start and end are both present, of the same player, and the end
 * is not before the start; conflicting duplicates resolve to the earliest ts (then country, then
 * player id); duplicates count once.
 */
export class ViewModel {
  private readonly starts = new Map<
    string,
    Map<string, { ts: number; country: string; player: string }>
  >();
  private readonly ends = new Map<string, Map<string, { ts: number; player: string }>>();

  add(event: RawEvent): void {
    const ts = Date.parse(event.ts);
    if (event.event === 'start') {
      const country = (event.country ?? '').toUpperCase();
      const variants =
        this.starts.get(event.session_id) ??
        new Map<string, { ts: number; country: string; player: string }>();
      variants.set(`${ts}|${country}|${event.player_id}`, { ts, country, player: event.player_id });
      this.starts.set(event.session_id, variants);
    } else {
      const variants =
        this.ends.get(event.session_id) ?? new Map<string, { ts: number; player: string }>();
      variants.set(`${ts}|${event.player_id}`, { ts, player: event.player_id });
      this.ends.set(event.session_id, variants);
    }
  }

  /** Adds the events of a batch the API took (202), except the ones it rejected. */
  addAccepted(posted: Posted): void {
    posted.events.forEach((event, i) => {
      if (!posted.rejected.has(i)) this.add(event);
    });
  }

  /** Every country some start names. */
  countries(): Set<string> {
    const countries = new Set<string>();
    for (const variants of this.starts.values())
      for (const v of variants.values()) countries.add(v.country);
    return countries;
  }

  /** The chosen start of every session. */
  chosenStarts(): { sessionId: string; ts: number; country: string; player: string }[] {
    return [...this.starts].map(([sessionId, variants]) => ({
      sessionId,
      ...[...variants.values()].sort(
        (a, b) => a.ts - b.ts || cmp(a.country, b.country) || cmp(a.player, b.player),
      )[0]!,
    }));
  }

  startsByCountry(from: number, to: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (const s of this.chosenStarts()) {
      if (s.ts >= from && s.ts < to) counts.set(s.country, (counts.get(s.country) ?? 0) + 1);
    }
    return counts;
  }

  /** Every player's completed sessions, newest end first, ties by session id. */
  completedByPlayer(): Map<
    string,
    { session_id: string; country: string; start_ts: string; end_ts: string }[]
  > {
    const byPlayer = new Map<
      string,
      { session_id: string; country: string; start: number; end: number }[]
    >();
    const chosen = new Map(this.chosenStarts().map((s) => [s.sessionId, s]));
    for (const [sessionId, variants] of this.ends) {
      const end = [...variants.values()].sort((a, b) => a.ts - b.ts || cmp(a.player, b.player))[0]!;
      const start = chosen.get(sessionId);
      if (!start || start.player !== end.player || end.ts < start.ts) continue;
      const list = byPlayer.get(end.player) ?? [];
      list.push({ session_id: sessionId, country: start.country, start: start.ts, end: end.ts });
      byPlayer.set(end.player, list);
    }
    return new Map(
      [...byPlayer].map(([player, list]) => [
        player,
        list
          .sort((a, b) => b.end - a.end || cmp(a.session_id, b.session_id))
          .map((s) => ({
            session_id: s.session_id,
            country: s.country,
            start_ts: new Date(s.start).toISOString(),
            end_ts: new Date(s.end).toISOString(),
          })),
      ]),
    );
  }

  players(): string[] {
    const players = new Set<string>();
    for (const variants of this.ends.values())
      for (const v of variants.values()) players.add(v.player);
    for (const variants of this.starts.values())
      for (const v of variants.values()) players.add(v.player);
    return [...players];
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
