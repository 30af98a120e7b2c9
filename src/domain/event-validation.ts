import Joi from 'joi';
import type { SessionEvent } from './events.ts';
import { parseTimestamp } from './timestamp.ts';

/**
 * The contract's event rules (docs/CONTRACT.md §2), applied to one decoded JSON value. Pure: the clock
 * is an argument. Shape problems are `invalid_event` with a message naming the field; the time
 * rules give `expired` and `ts_in_future`.
 */

export type RejectionCode = 'invalid_event' | 'expired' | 'ts_in_future';

export interface Rejection {
  readonly code: RejectionCode;
  readonly message: string;
  /** The offending field, when one is to blame. */
  readonly field?: string;
}

export interface TimeRules {
  /** Events older than `now - retentionMs` are expired. */
  readonly retentionMs: number;
  /** Events newer than `now + maxFutureSkewMs` are in the future. */
  readonly maxFutureSkewMs: number;
}

export type EventResult = { ok: true; event: SessionEvent } | { ok: false; rejection: Rejection };

// Identifiers: 1-64 characters, none of them whitespace or a control character.
const identifier = (name: string) =>
  Joi.string()
    .min(1)
    .max(64)
    .pattern(/^[^\s\p{Cc}]+$/u)
    .required()
    .messages({
      'any.required': `"${name}" is required`,
      'string.base': `"${name}" must be a string`,
      'string.empty': `"${name}" must not be empty`,
      'string.max': `"${name}" must be at most 64 characters`,
      'string.pattern.base': `"${name}" must not contain whitespace or control characters`,
    });

const eventSchema = Joi.object({
  event: Joi.string().valid('start', 'end').required().messages({
    'any.required': '"event" is required',
    'any.only': '"event" must be "start" or "end"',
    'string.base': '"event" must be "start" or "end"',
  }),
  player_id: identifier('player_id'),
  session_id: identifier('session_id'),
  country: Joi.when('event', {
    is: 'start',
    then: Joi.string()
      .pattern(/^[A-Za-z]{2}$/)
      .required()
      .messages({
        'any.required': '"country" is required on a start event',
        'string.base': '"country" must be a string of two ASCII letters',
        'string.empty': '"country" must be two ASCII letters',
        'string.pattern.base': '"country" must be two ASCII letters',
      }),
    otherwise: Joi.any(),
  }),
  ts: Joi.string().required().messages({
    'any.required': '"ts" is required',
    'string.base': '"ts" must be an ISO-8601 date-time string',
    'string.empty': '"ts" must be an ISO-8601 date-time string',
  }),
})
  .unknown(true)
  .messages({ 'object.base': 'an event must be a JSON object' });

export function validateEvent(raw: unknown, nowMs: number, rules: TimeRules): EventResult {
  const result = eventSchema.validate(raw, { abortEarly: true, convert: false });
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

export interface BatchValidation {
  readonly accepted: readonly SessionEvent[];
  readonly rejected: readonly (Rejection & { readonly index: number })[];
}

/** Validates every event of a batch; a bad one never stops the good ones. */
export function validateBatch(
  raws: readonly unknown[],
  nowMs: number,
  rules: TimeRules,
): BatchValidation {
  const accepted: SessionEvent[] = [];
  const rejected: (Rejection & { index: number })[] = [];
  raws.forEach((raw, index) => {
    const result = validateEvent(raw, nowMs, rules);
    if (result.ok) accepted.push(result.event);
    else rejected.push({ index, ...result.rejection });
  });
  return { accepted, rejected };
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
