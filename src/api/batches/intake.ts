import { validateEvent, type TimeRules } from '../../domain/event-validation.ts';
import { batchEvents } from '../../domain/rules.ts';
import type { SessionEvent } from '../../domain/events.ts';
import type { RejectedEvent } from '../../queue/batch-producer.ts';
import { BadRequestError } from '../errors.ts';
import type { BatchItem } from './read-batch-body.ts';

/**
 * Sorts a batch's items into accepted events and rejections (by index), enforcing the batch
 * rules: 1 to `maxEvents` events, and at least one of them valid.
 */
export function intake(
  items: readonly BatchItem[],
  options: { maxEvents: number; now: number; rules: TimeRules },
): { accepted: SessionEvent[]; rejected: RejectedEvent[] } {
  const size = batchEvents(options.maxEvents).validate(items).error?.details[0]?.type;
  if (size === 'array.min')
    throw new BadRequestError('empty_batch', 'a batch must hold at least one event');
  if (size === 'array.max') {
    throw new BadRequestError(
      'too_many_events',
      `a batch holds at most ${options.maxEvents} events; this one has ${items.length}`,
    );
  }
  const accepted: SessionEvent[] = [];
  const rejected: RejectedEvent[] = [];
  items.forEach((item, index) => {
    if (!item.ok) {
      rejected.push({ index, code: 'invalid_event', message: item.message });
      return;
    }
    const result = validateEvent(item.value, options.now, options.rules);
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
}
