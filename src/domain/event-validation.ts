import { NOT_AN_OBJECT, VALIDATION_PREFERENCES, eventSchema, kindSchemas } from './event-schema.ts';
import type { SessionEvent } from './events.ts';
import { parseTimestamp } from './timestamp.ts';

/**
 * The contract's event rules (docs/CONTRACT.md §2), applied to one decoded JSON value. Pure: the clock
 * is an argument. Shape problems are `invalid_event` with a message naming the field; the time
 * rules give `expired` and `ts_in_future`.
 */

export const REJECTION_CODES = ['invalid_event', 'expired', 'ts_in_future'] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
  /** The offending field, when one is to blame. */
  readonly field?: string;
}

/**
 * A rejection within a batch: which event (its index in the batch) and why. Its code is a plain
 * string because it is also read back from Redis (a batch's record, a job), where nothing re-checks it.
 */
export interface RejectedEvent {
  readonly index: number;
  readonly code: string;
  readonly message: string;
  readonly field?: string;
}

export interface TimeRules {
  /** Events older than `now - retentionMs` are expired. */
  readonly retentionMs: number;
  /** Events newer than `now + maxFutureSkewMs` are in the future. */
  readonly maxFutureSkewMs: number;
}

export type EventResult = { ok: true; event: SessionEvent } | { ok: false; rejection: Rejection };

/**
 * One event: the reference schema's outcome, on a path that costs a fifth of it (see
 * event-schema.ts). An object without a known `event` is always refused, so it is left to the
 * reference schema itself: its message is the reference's by construction.
 */
export function validateEvent(raw: unknown, nowMs: number, rules: TimeRules): EventResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return reject('invalid_event', NOT_AN_OBJECT, undefined);
  const kind = (raw as { event?: unknown }).event;
  const result =
    kind === 'start' || kind === 'end'
      ? kindSchemas[kind].validate(raw)
      : eventSchema.validate(raw, VALIDATION_PREFERENCES);
  const error = result.error;
  if (error) {
    const detail = error.details[0];
    const field = detail?.path[0];
    return reject(
      'invalid_event',
      detail?.message ?? 'invalid event',
      typeof field === 'string' ? field : undefined,
    );
  }
  const fields = result.value as {
    event: 'start' | 'end';
    player_id: string;
    session_id: string;
    country?: string;
    ts: string;
  };
  const ts = parseTimestamp(fields.ts);
  if (!ts.ok) return reject('invalid_event', `"ts" ${ts.reason}`, 'ts');
  if (ts.ms < nowMs - rules.retentionMs) {
    return reject(
      'expired',
      `"ts" is older than the retention of ${describeMs(rules.retentionMs)}`,
      'ts',
    );
  }
  if (ts.ms > nowMs + rules.maxFutureSkewMs) {
    return reject(
      'ts_in_future',
      `"ts" is more than ${describeMs(rules.maxFutureSkewMs)} in the future`,
      'ts',
    );
  }
  return {
    ok: true,
    event: {
      kind: fields.event,
      sessionId: fields.session_id,
      playerId: fields.player_id,
      country: fields.event === 'start' ? fields.country?.toUpperCase() : undefined,
      ts: ts.ms,
    },
  };
}

function reject(code: RejectionCode, message: string, field: string | undefined): EventResult {
  return {
    ok: false,
    rejection: field === undefined ? { code, message } : { code, message, field },
  };
}

export function describeMs(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1000, 'second'],
  ];
  for (const [size, name] of units) {
    if (ms % size === 0 && ms >= size) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms} ms`;
}
