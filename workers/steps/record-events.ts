import type { SessionEvent } from '../../src/domain/events.ts';
import { ttlSeconds } from '../../src/domain/retention.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import type { SessionFacts } from '../../src/storage/session-facts.ts';

/**
 * Step 1 of a micro-batch (record): the fact write of each event's variant into its session's
 * partition. The micro-batch sends them, then reads every touched partition back — strictly after
 * the writes, so of two workers holding the two halves of one session at the same time, at least
 * one sees both.
 */
export function recordWrites(
  events: readonly SessionEvent[],
  deps: { sessionFacts: Pick<SessionFacts, 'recordWrite'>; retentionMs: number; now: number },
): PartitionWrite[] {
  return events.map((e) =>
    deps.sessionFacts.recordWrite(e, ttlSeconds(e.ts, deps.now, deps.retentionMs)),
  );
}
