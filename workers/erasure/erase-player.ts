import type { Variant } from '../../src/domain/pairing.ts';
import type { ErasureProgress, ErasureResult } from '../../src/queue/erasures-queue.ts';
import type { FactPage } from '../../src/storage/fact-scan.ts';
import { sessionsOf, type PlayerErasure } from '../../src/storage/player-erasure.ts';
import type { DirtyShards } from '../counts/dirty-seconds.ts';

export interface ErasePlayerDeps {
  /** The facts, page by page, from a resume token on (src/storage/fact-scan.ts). */
  readonly scan: (fromToken: string | undefined) => AsyncIterable<FactPage>;
  readonly views: (sessionIds: readonly string[]) => Promise<Map<string, Variant[]>>;
  readonly erasure: Pick<PlayerErasure, 'eraseSessions' | 'eraseCompleted'>;
  /** Resolves once a rollup has recounted the given seconds (the pipeline's own step). */
  readonly whenCounted: (dirty: DirtyShards) => Promise<void>;
  /** The generations of the completed sessions written now (two while a rebuild runs). */
  readonly completedGenerations: () => Promise<readonly number[]>;
}

export interface ErasureTask {
  readonly erasureId: string;
  readonly playerId: string;
  /** Where an earlier attempt of the same erasure stopped. */
  readonly progress: ErasureProgress | undefined;
  readonly onProgress: (progress: ErasureProgress) => Promise<void>;
}

/**
 * Erases one player: every fact in which the player appears, found by a paced scan of the facts
 * (there is no index by player: it would cost the live write path a write per event), then the
 * player's completed sessions. Each page's erasure, with the recount of the seconds it changed, is
 * done before the page's resume token is saved, so an attempt that dies goes on where the last
 * one stopped and leaves no count behind its facts.
 */
export async function erasePlayer(
  deps: ErasePlayerDeps,
  task: ErasureTask,
): Promise<ErasureResult> {
  let sessions = task.progress?.sessions ?? 0;
  let facts = task.progress?.facts ?? 0;
  for await (const page of deps.scan(task.progress?.resume_token)) {
    const found = sessionsOf(task.playerId, page.facts);
    if (found.size > 0) {
      const views = await deps.views([...found]);
      const erased = await deps.erasure.eraseSessions(task.erasureId, task.playerId, views);
      if (erased.seconds.size > 0) await deps.whenCounted(erased.seconds);
      sessions += found.size;
      facts += erased.facts;
    }
    await task.onProgress({ resume_token: page.resumeToken, sessions, facts });
  }
  const completedRows = await deps.erasure.eraseCompleted(
    task.playerId,
    await deps.completedGenerations(),
  );
  return { sessions, facts, completed_rows: completedRows };
}
