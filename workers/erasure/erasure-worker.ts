import { Worker, type ConnectionOptions } from 'bullmq';
import type { Config } from '../../src/config/env.ts';
import type { Logger } from '../../src/observability/logger.ts';
import {
  erasuresQueueName,
  type ERASURE_JOB_NAME,
  type ErasureJob,
  type ErasureJobData,
  type ErasureProgress,
  type ErasureResult,
} from '../../src/queue/erasures-queue.ts';
import { erasePlayer, type ErasePlayerDeps } from './erase-player.ts';

export type ErasureWorker = Worker<ErasureJobData, ErasureResult, typeof ERASURE_JOB_NAME>;

export interface ErasureWorkerDeps {
  readonly connection: ConnectionOptions;
  readonly config: Config;
  readonly erase: ErasePlayerDeps;
  readonly logger: Logger;
  readonly name: string;
}

/**
 * Runs erasures, one at a time per worker process (each is a long, paced scan). Started paused:
 * the schema guard resumes it with the events' workers.
 */
export function createErasureWorker(deps: ErasureWorkerDeps): ErasureWorker {
  const log = deps.logger.child({ module: 'erasure' });
  return new Worker<ErasureJobData, ErasureResult, typeof ERASURE_JOB_NAME>(
    erasuresQueueName(deps.config.queue),
    (job) => runErasure(job, deps.erase, log),
    {
      connection: deps.connection,
      prefix: deps.config.queue.prefix,
      name: deps.name,
      concurrency: 1,
      lockDuration: deps.config.worker.lockDurationMs,
      stalledInterval: deps.config.worker.stalledIntervalMs,
      maxStalledCount: deps.config.worker.maxStalledCount,
      autorun: false,
    },
  );
}

export async function runErasure(
  job: ErasureJob,
  erase: ErasePlayerDeps,
  log: Logger,
): Promise<ErasureResult> {
  const progress = asProgress(job.progress);
  const playerId = job.data.player_id;
  const audit = {
    audit: 'player_erasure',
    erasure_id: job.id,
    player_sha256: job.data.player_sha256,
    requested_by: job.data.requested_by,
    requested_at: job.data.requested_at,
  };
  // An attempt that died after forgetting the id had finished the erasure itself.
  if (playerId === undefined)
    return { sessions: progress?.sessions ?? 0, facts: progress?.facts ?? 0, completed_rows: 0 };
  const result = await erasePlayer(erase, {
    erasureId: job.id ?? 'unknown',
    playerId,
    progress,
    onProgress: (p) => job.updateProgress({ ...p }),
  });
  // The finished job is the erasure's status for a month: it keeps the id's hash, not the id.
  await job.updateData({
    player_sha256: job.data.player_sha256,
    requested_by: job.data.requested_by,
    requested_at: job.data.requested_at,
  });
  log.info({ ...audit, ...result }, 'player erased');
  return result;
}

function asProgress(value: unknown): ErasureProgress | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const p = value as Partial<ErasureProgress>;
  return typeof p.resume_token === 'string' &&
    typeof p.sessions === 'number' &&
    typeof p.facts === 'number'
    ? { resume_token: p.resume_token, sessions: p.sessions, facts: p.facts }
    : undefined;
}
