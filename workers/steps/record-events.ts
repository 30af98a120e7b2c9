import pMap from 'p-map';
import type { SessionEvent } from '../../src/domain/events.ts';
import type { Variant } from '../../src/domain/pairing.ts';
import { ttlSeconds } from '../../src/domain/retention.ts';
import type { SessionFacts } from '../../src/storage/session-facts.ts';

/**
 * Step 1 of a batch: write the variant each event carries into its session's fact partition, then
 * read every touched partition back. The read comes strictly after the writes, so of two workers
 * holding the two halves of one session at the same time, at least one sees both.
 */
export async function recordEvents(
  events: readonly SessionEvent[],
  deps: {
    sessionFacts: Pick<SessionFacts, 'record' | 'view'>;
    retentionMs: number;
    now: number;
    concurrency: number;
  },
): Promise<Map<string, Variant[]>> {
  await pMap(
    events,
    (e) => deps.sessionFacts.record(e, ttlSeconds(e.ts, deps.now, deps.retentionMs)),
    {
      concurrency: deps.concurrency,
    },
  );
  const sessionIds = [...new Set(events.map((e) => e.sessionId))];
  const views = await pMap(sessionIds, (id) => deps.sessionFacts.view(id), {
    concurrency: deps.concurrency,
  });
  return new Map(sessionIds.map((id, i) => [id, views[i] ?? []]));
}
