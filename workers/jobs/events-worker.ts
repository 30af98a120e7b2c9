import os from 'node:os';
import { Worker, type ConnectionOptions, type WorkerOptions } from 'bullmq';
import type { Config } from '../../src/config/env.ts';
import type { BATCH_JOB_NAME, BatchJob, BatchJobData } from '../../src/queue/events-queue.ts';

export type EventsWorker = Worker<BatchJobData, void, typeof BATCH_JOB_NAME>;

/** The BullMQ worker that takes batch jobs off the events queue and hands each to `handler`. */
export function createEventsWorker(
  connection: ConnectionOptions,
  config: Config,
  handler: (job: BatchJob, token?: string) => Promise<void>,
  options: Partial<WorkerOptions> = {},
): EventsWorker {
  return new Worker<BatchJobData, void, typeof BATCH_JOB_NAME>(config.queue.name, handler, {
    connection,
    prefix: config.queue.prefix,
    // Shown in Bull Board and kept on each job (processedBy): which process handled a batch.
    name: options.name ?? `${os.hostname()}:${process.pid}`,
    concurrency: config.worker.concurrency,
    lockDuration: config.worker.lockDurationMs,
    stalledInterval: config.worker.stalledIntervalMs,
    // A killed worker's jobs come back as stalled; many kills in a row must not fail them for good.
    maxStalledCount: config.worker.maxStalledCount,
    autorun: true,
    ...options,
  });
}
