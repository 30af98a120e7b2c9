import {
  validateEvent,
  type RejectedEvent,
  type TimeRules,
} from '../../domain/event-validation.ts';
import { batchEvents } from '../../domain/rules.ts';
import type { SessionEvent } from '../../domain/events.ts';
import { BadRequestError } from '../errors.ts';
import type { BatchItem } from './read-batch-body.ts';

export interface IntakeLimits {
  readonly maxEvents: number;
  readonly rules: TimeRules;
}

/** A batch split into the events accepted and the ones rejected (by index). */
export type AcceptedAndRejected = { accepted: SessionEvent[]; rejected: RejectedEvent[] };

/** Splits one batch's items into accepted and rejected, validated at `now`. */
export type Intake = (items: readonly BatchItem[], now: number) => AcceptedAndRejected;

/**
 * Sorts a batch's items into accepted events and rejections (by index), enforcing the batch
 * rules: 1 to `maxEvents` events, and at least one of them valid. The batch-size rule is built
 * once here, not per request.
 */
export function createIntake(limits: IntakeLimits): Intake {
  const size = batchEvents(limits.maxEvents);
  return (items, now) => {
    const problem = size.validate(items).error?.details[0]?.type;
    if (problem === 'array.min')
      throw new BadRequestError('empty_batch', 'a batch must hold at least one event');
    if (problem === 'array.max') {
      throw new BadRequestError(
        'too_many_events',
        `a batch holds at most ${limits.maxEvents} events; this one has ${items.length}`,
      );
    }
    const accepted: SessionEvent[] = [];
    const rejected: RejectedEvent[] = [];
    items.forEach((item, index) => {
      if (!item.ok) {
        rejected.push({ index, code: 'invalid_event', message: item.message });
        return;
      }
      const result = validateEvent(item.value, now, limits.rules);
      if (result.ok) accepted.push(result.event);
      else rejected.push({ index, ...result.rejection });
    });
    if (accepted.length === 0) {
      throw new BadRequestError(
        'no_valid_events',
        'no event of the batch is valid; see details',
        rejected,
      );
    }
    return { accepted, rejected };
  };
}
