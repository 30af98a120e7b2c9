import { SECOND_MS, floorTo } from '../../src/domain/duration.ts';
import { isRetained, ttlSeconds } from '../../src/domain/retention.ts';
import { shardOf } from '../../src/domain/shard.ts';
import type { CompletedSessions } from '../../src/storage/completed-sessions.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import type { StartFacts } from '../../src/storage/start-facts.ts';
import { markDirty, type DirtyShards } from '../counts/dirty-seconds.ts';
import type { SessionDecision } from './decide-pairs.ts';

export interface WriteSessionsDeps {
  readonly startFacts: Pick<StartFacts, 'startWrite'>;
  /** Read model 2 in each generation written now: one, or two while a rebuild runs. */
  readonly completedSessions: readonly Pick<CompletedSessions, 'upsertWrite' | 'retractWrite'>[];
  readonly write: (writes: readonly PartitionWrite[]) => Promise<void>;
  /** The keyspace's number of start-fact shards. */
  readonly shards: number;
  readonly retentionMs: number;
  readonly now: number;
}

/**
 * Step "write completed sessions": what the decisions imply, each write at its view's version —
 * the start facts with their liveness (in their session's shard), the completed rows, and the
 * retractions of rows a smaller view may have written. Resolves to the seconds (by shard and
 * country) whose start facts changed: what the rollup must recount.
 */
export async function writeSessions(
  decisions: readonly SessionDecision[],
  deps: WriteSessionsDeps,
): Promise<DirtyShards> {
  const writes: PartitionWrite[] = [];
  const dirty: DirtyShards = new Map();
  for (const { sessionId, decision, holdsStart } of decisions) {
    if (holdsStart) {
      const shard = shardOf(sessionId, deps.shards);
      for (const fact of decision.startFacts) {
        const { ts, country } = fact.variant;
        if (!isRetained(ts, deps.now, deps.retentionMs)) continue;
        const ttl = ttlSeconds(ts, deps.now, deps.retentionMs);
        writes.push(deps.startFacts.startWrite(shard, sessionId, fact, decision.startVersion, ttl));
        markDirty(dirty, shard, floorTo(ts, SECOND_MS), country);
      }
    }
    const completed = decision.completed;
    if (completed && isRetained(completed.startTs, deps.now, deps.retentionMs)) {
      const ttl = ttlSeconds(completed.startTs, deps.now, deps.retentionMs);
      for (const generation of deps.completedSessions)
        writes.push(generation.upsertWrite(completed, decision.sessionVersion, ttl));
    }
    for (const key of decision.retracted) {
      for (const generation of deps.completedSessions)
        writes.push(
          generation.retractWrite(key.playerId, key.endTs, sessionId, decision.sessionVersion),
        );
    }
  }
  await deps.write(writes);
  return dirty;
}
