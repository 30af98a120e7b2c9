import { Random } from '../data/random.ts';
import { MINUTE_MS } from '../../src/domain/duration.ts';

const COUNTRIES = [
  'US',
  'BR',
  'IN',
  'DE',
  'FI',
  'SE',
  'GB',
  'FR',
  'JP',
  'PK',
  'GH',
  'MX',
  'CA',
  'AU',
  'NG',
];

/** One event as a client sends it. */
export type WireEvent = Record<string, string>;

/**
 * Live traffic: batches of 10 events stamped "now" — five sessions each, a start a few minutes
 * back and its end now — for distinct sessions, over a fixed pool of players. This is what game
 * clients send as sessions happen, and it makes every start land in the current minutes.
 */
export class LiveTraffic {
  private readonly random: Random;
  private session = 0;

  constructor(
    seed: number,
    private readonly players = 20_000,
    private readonly runId = `${seed}`,
  ) {
    this.random = new Random(seed);
  }

  batch(now = Date.now()): WireEvent[] {
    const events: WireEvent[] = [];
    for (let i = 0; i < 5; i++) {
      const session = `bench-${this.runId}-${this.session++}`;
      const player = `player-${this.random.int(0, this.players - 1)}`;
      const started = now - this.random.int(1, 30) * MINUTE_MS;
      events.push({
        event: 'start',
        country: COUNTRIES[this.random.int(0, COUNTRIES.length - 1)] ?? 'US',
        player_id: player,
        session_id: session,
        ts: new Date(started).toISOString(),
      });
      events.push({
        event: 'end',
        player_id: player,
        session_id: session,
        ts: new Date(now).toISOString(),
      });
    }
    return events;
  }
}

/** The country only freshness probes use, so that its count tells exactly which probes are visible. */
export const PROBE_COUNTRY = 'ZZ';

/** A probe: one complete session of its own player, started in the probe country. */
export function probeBatch(
  runId: string,
  index: number,
  now = Date.now(),
): { player: string; events: WireEvent[] } {
  const player = `probe-${runId}-${index}`;
  const session = `probe-${runId}-${index}`;
  return {
    player,
    events: [
      {
        event: 'start',
        country: PROBE_COUNTRY,
        player_id: player,
        session_id: session,
        ts: new Date(now - MINUTE_MS).toISOString(),
      },
      { event: 'end', player_id: player, session_id: session, ts: new Date(now).toISOString() },
    ],
  };
}
