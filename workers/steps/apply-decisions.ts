import { SECOND_MS, floorTo } from '../../src/domain/duration.ts';
import type { Decision } from '../../src/domain/pairing.ts';
import { isRetained, ttlSeconds } from '../../src/domain/retention.ts';
import type { CompletedSessions } from '../../src/storage/completed-sessions.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import type { StartFacts } from '../../src/storage/start-facts.ts';
import { shardOf } from '../../src/domain/shard.ts';
import { markDirty, type DirtyShards } from '../rollup/dirty-seconds.ts';

export interface DecisionDeps {
  readonly startFacts: Pick<StartFacts, 'startWrite'>;
  readonly completedSessions: Pick<CompletedSessions, 'upsertWrite' | 'retractWrite'>;
  /** The keyspace's number of start-fact shards. */
  readonly shards: number;
  readonly retentionMs: number;
  readonly now: number;
}

/**
 * Step 2 of a micro-batch (decide and apply), for one session: the writes its view's decision
 * implies, each at the view's version, and the seconds whose counts they may change. Start facts
 * are written only by a micro-batch holding a start of the session (an end changes no start).
 */
export function decisionWrites(
  sessionId: string,
  decision: Decision,
  holdsStart: boolean,
  deps: DecisionDeps,
  into: { writes: PartitionWrite[]; dirty: DirtyShards },
): void {
  if (holdsStart) {
    const shard = shardOf(sessionId, deps.shards);
    for (const fact of decision.startFacts) {
      const { ts, country } = fact.variant;
      if (!isRetained(ts, deps.now, deps.retentionMs)) continue;
      const ttl = ttlSeconds(ts, deps.now, deps.retentionMs);
      into.writes.push(
        deps.startFacts.startWrite(shard, sessionId, fact, decision.startVersion, ttl),
      );
      markDirty(into.dirty, shard, floorTo(ts, SECOND_MS), country);
    }
  }

  const completed = decision.completed;
  if (completed && isRetained(completed.startTs, deps.now, deps.retentionMs)) {
    const ttl = ttlSeconds(completed.startTs, deps.now, deps.retentionMs);
    into.writes.push(deps.completedSessions.upsertWrite(completed, decision.sessionVersion, ttl));
  }
  for (const key of decision.retracted) {
    into.writes.push(
      deps.completedSessions.retractWrite(
        key.playerId,
        key.endTs,
        sessionId,
        decision.sessionVersion,
      ),
    );
  }
}
