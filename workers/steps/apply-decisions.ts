import type { Decision } from '../../src/domain/pairing.ts';
import { isRetained, ttlSeconds } from '../../src/domain/retention.ts';
import type { CompletedSessions } from '../../src/storage/completed-sessions.ts';
import type { StartFacts } from '../../src/storage/start-facts.ts';
import { markDirty, type DirtySeconds } from '../rollup/dirty-seconds.ts';

export interface ApplyDeps {
  readonly startFacts: Pick<StartFacts, 'write'>;
  readonly completedSessions: Pick<CompletedSessions, 'upsert' | 'retract'>;
  readonly retentionMs: number;
  readonly now: number;
}

/**
 * Step 2 of a batch (decide and apply), for one session: write what its view decided, each write at the view's
 * version. Start facts are written only by a worker holding a start of the session (an end changes
 * no start); the returned seconds are the ones whose counts may have changed.
 */
export async function applyDecision(
  sessionId: string,
  decision: Decision,
  batchHasStart: boolean,
  deps: ApplyDeps,
): Promise<DirtySeconds> {
  const dirty: DirtySeconds = new Map();
  const writes: Promise<void>[] = [];

  if (batchHasStart) {
    for (const fact of decision.startFacts) {
      const { ts, country } = fact.variant;
      if (!isRetained(ts, deps.now, deps.retentionMs)) continue;
      writes.push(
        deps.startFacts.write(
          sessionId,
          fact,
          decision.startVersion,
          ttlSeconds(ts, deps.now, deps.retentionMs),
        ),
      );
      markDirty(dirty, Math.floor(ts / 1000) * 1000, country);
    }
  }

  const completed = decision.completed;
  if (completed && isRetained(completed.startTs, deps.now, deps.retentionMs)) {
    const ttl = ttlSeconds(completed.startTs, deps.now, deps.retentionMs);
    writes.push(deps.completedSessions.upsert(completed, decision.sessionVersion, ttl));
  }
  for (const key of decision.retracted) {
    writes.push(
      deps.completedSessions.retract(key.playerId, key.endTs, sessionId, decision.sessionVersion),
    );
  }

  await Promise.all(writes);
  return dirty;
}
