import { formatTs, type PublicEvent } from './event-format.ts';
import { IndexPermutation } from './permutation.ts';
import { Population, sessionCounts } from './population.ts';
import { sessionAt, type SessionLayout } from './sessions.ts';

export interface GeneratorOptions {
  /** Exactly this many events (at least 2). */
  readonly events: number;
  /** The window's length: events fall in [end - days, end]. */
  readonly days: number;
  readonly seed: number;
  /** The window's end, epoch milliseconds (truncated to the second). */
  readonly endMs: number;
}

export interface DataSetFigures {
  readonly events: number;
  readonly sessions: number;
  readonly completeSessions: number;
  readonly orphanStarts: number;
  readonly orphanEnds: number;
  readonly players: number;
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * A synthetic data set shaped like the public one, as a sequence of events in file order. Pure
 * and reproducible: the same options give the same events, and two `endMs` give the same events
 * with every ts moved by their difference. Memory grows with the players (about 1 per 51 events),
 * not the events: each line's event is derived on demand (see permutation.ts and sessions.ts).
 */
export class EventGenerator {
  readonly figures: DataSetFigures;
  private readonly layout: SessionLayout;
  private readonly population: Population;
  private readonly order: IndexPermutation;

  constructor(options: GeneratorOptions) {
    const { events, days, seed, endMs } = options;
    if (!Number.isInteger(events) || events < 2 || events > 2 ** 32) {
      throw new RangeError('events must be an integer from 2 to 2^32');
    }
    if (!(days >= 1 / 24 && days <= 36_500))
      throw new RangeError('days must be from 1/24 to 36500');
    if (!Number.isInteger(seed)) throw new RangeError('seed must be an integer');
    if (!Number.isFinite(endMs)) throw new RangeError('endMs must be a time');
    const counts = sessionCounts(events);
    const to = Math.floor(endMs / 1000);
    this.layout = {
      seed,
      from: to - Math.round(days * 86_400),
      to,
      complete: counts.complete,
      orphanStarts: counts.orphanStarts,
    };
    this.population = new Population(seed, counts.complete);
    this.order = new IndexPermutation(events, seed);
    this.figures = {
      events,
      sessions: counts.complete + counts.orphanStarts + counts.orphanEnds,
      completeSessions: counts.complete,
      orphanStarts: counts.orphanStarts,
      orphanEnds: counts.orphanEnds,
      players: this.population.size,
      fromMs: this.layout.from * 1000,
      toMs: to * 1000,
    };
  }

  /** The events in file order. */
  *events(): Generator<PublicEvent> {
    for (let line = 0; line < this.figures.events; line++) yield this.eventAt(this.order.at(line));
  }

  /**
   * Event `e`: the starts of the completed sessions come first, then their ends, then the
   * orphans (whose session index is also e - complete). The shuffle decides where each goes.
   */
  eventAt(e: number): PublicEvent {
    const { complete, orphanStarts } = this.layout;
    const j = e < complete ? e : e - complete;
    const isStart = e < complete || (e >= 2 * complete && e < 2 * complete + orphanStarts);
    const session = sessionAt(j, this.layout, this.population);
    const ts = isStart ? session.start : session.end;
    if (ts === undefined) throw new Error(`session ${j} has no ${isStart ? 'start' : 'end'}`);
    return isStart
      ? {
          player_id: session.playerId,
          country: session.country,
          event: 'start',
          session_id: session.sessionId,
          ts: formatTs(ts),
        }
      : {
          player_id: session.playerId,
          event: 'end',
          session_id: session.sessionId,
          ts: formatTs(ts),
        };
  }
}
