import type { SessionEvent } from '../../src/domain/events.ts';
import { toWire, type BatchJob } from '../../src/queue/events-queue.ts';

/** An event as a client sends it (snake_case JSON). */
export interface RawEvent {
  event: 'start' | 'end';
  player_id: string;
  session_id: string;
  ts: string;
  country?: string;
}

export const startEvent = (
  sessionId: string,
  playerId: string,
  country: string,
  ts: number,
): RawEvent => ({
  event: 'start',
  country,
  player_id: playerId,
  session_id: sessionId,
  ts: new Date(ts).toISOString(),
});

export const endEvent = (sessionId: string, playerId: string, ts: number): RawEvent => ({
  event: 'end',
  player_id: playerId,
  session_id: sessionId,
  ts: new Date(ts).toISOString(),
});

export function toSessionEvent(raw: RawEvent): SessionEvent {
  return {
    kind: raw.event,
    sessionId: raw.session_id,
    playerId: raw.player_id,
    country: raw.event === 'start' ? raw.country?.toUpperCase() : undefined,
    ts: Date.parse(raw.ts),
  };
}

/** A batch job's data as BullMQ hands it to the processor. */
export function batchJob(
  events: readonly RawEvent[],
  acceptedAt = Date.now(),
): Pick<BatchJob, 'data'> {
  return { data: { events: events.map((e) => toWire(toSessionEvent(e))), acceptedAt } };
}
