import type { SessionEvent } from '../../src/domain/events.ts';
import type { Variant } from '../../src/domain/pairing.ts';
import { ttlSeconds } from '../../src/domain/retention.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import type { SessionFacts } from '../../src/storage/session-facts.ts';

export interface RecordFactsDeps {
  readonly sessionFacts: Pick<SessionFacts, 'recordWrite' | 'views'>;
  /** Sends writes in as few requests as the store allows (src/storage/partition-writes.ts). */
  readonly write: (writes: readonly PartitionWrite[]) => Promise<void>;
  readonly retentionMs: number;
  readonly now: number;
  /** Reads of views in flight at once. */
  readonly concurrency: number;
}

/** Every distinct variant stored for each session, as read back after the writes. */
export type Views = Map<string, Variant[]>;

/**
 * Step "record facts": writes each event's variant into its session's partition of
 * `sessions_by_id`, then reads every touched partition back — strictly after the writes, so that
 * of two workers holding the two halves of one session at the same time, at least one sees both.
 */
export async function recordFacts(
  events: readonly SessionEvent[],
  deps: RecordFactsDeps,
): Promise<Views> {
  await deps.write(
    events.map((e) =>
      deps.sessionFacts.recordWrite(e, ttlSeconds(e.ts, deps.now, deps.retentionMs)),
    ),
  );
  const sessionIds = [...new Set(events.map((e) => e.sessionId))];
  return deps.sessionFacts.views(sessionIds, deps.concurrency);
}
