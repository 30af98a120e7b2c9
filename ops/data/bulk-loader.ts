import { BulkPlanner, bulkBatchKey, type PlannedBatch } from './bulk-plan.ts';
import { openLines } from './line-source.ts';
import { LoadTally } from './load-tally.ts';
import { settled, type LoadOptions, type LoadResult } from './loader.ts';
import { postBody } from './poster.ts';
import { rebaseOffsetMs, shiftEvent } from './rebase.ts';
import { sendForLoader, type OutgoingBatch } from './send-batches.ts';
import { OpsError } from '../lib/errors.ts';

export interface BulkLoadOptions extends Omit<LoadOptions, 'batchSize'> {
  /** Events per bulk batch (at most the service's BULK_MAX_EVENTS). */
  readonly eventsPerBatch: number;
  /** Skip the plan's first batches: the ones an earlier, interrupted run had all answered. */
  readonly resumeFrom?: number;
  /** Move every ts by exactly this much (a resume uses the offset its first run chose). */
  readonly offsetMs?: number;
}

/**
 * `npm run load -- FILE --bulk`: reads the whole file, plans batches of whole sessions
 * (bulk-plan.ts) and posts them to POST /v1/batches/bulk, `concurrency` at a time. Each batch's
 * Idempotency-Key is derived from its content, so a rerun of the file — or a resume from the
 * batch an interrupted run reported — never queues a batch twice, and the views stay exact.
 */
export async function loadFileInBulk(options: BulkLoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const source = await openLines(options.file);
  const tally = new LoadTally(options.keepBatchIds);
  const planner = new BulkPlanner();
  let readError: Error | undefined;
  try {
    for await (const line of source.lines()) {
      if (line.trim() === '') continue;
      if (!planner.add(line)) {
        tally.read += 1;
        tally.rejectLocally('invalid_json');
      }
      if ((planner.size + tally.read) % 10_000 === 0)
        options.onProgress?.({
          phase: 'plan',
          done: planner.size,
          total: undefined,
          tally,
          source,
        });
    }
  } catch (err) {
    readError = err instanceof Error ? err : new Error(String(err));
  }

  const newestMs = planner.newestMs;
  let offsetMs = options.offsetMs;
  if (offsetMs === undefined && options.rebaseToNow) {
    if (newestMs === undefined)
      throw new OpsError(`${options.file} has no event with a valid ts to rebase`);
    offsetMs = rebaseOffsetMs(newestMs, (options.now ?? Date.now)());
  }
  const resumeFrom = options.resumeFrom ?? 0;
  // A file not read to its end would be planned into other batches than the whole file: nothing
  // is sent, and the error is reported.
  const plan = readError ? [] : planner.plan(options.eventsPerBatch);
  const toSend = plan.slice(resumeFrom);
  const total = tally.read + toSend.reduce((sum, batch) => sum + batch.length, 0);
  const progress = () =>
    options.onProgress?.({ phase: 'load', done: tally.settled, total, tally, source });

  let interrupted = false;
  const bulkOptions = { ...options, path: '/v1/batches/bulk' };
  function* batches(): Generator<OutgoingBatch> {
    for (const planned of toSend) {
      if (options.signal?.aborted) {
        interrupted = true;
        return;
      }
      const body = bodyOf(planned, planner, offsetMs);
      tally.read += planned.length;
      yield {
        size: planned.length,
        send: (onRetry) =>
          postBody(
            { body, type: 'application/x-ndjson', size: planned.length },
            bulkBatchKey(body),
            { ...bulkOptions, onRetry },
          ),
      };
    }
  }
  const sent = await sendForLoader(batches(), options, { tally, progress });
  return {
    tally,
    offsetMs,
    newestMs,
    ...settled(started, sent),
    interrupted,
    readError,
    resume: {
      next: resumeFrom + sent.answeredPrefix,
      of: plan.length,
      eventsPerBatch: options.eventsPerBatch,
    },
  };
}

/** A batch as NDJSON: the file's own lines, or with --rebase-to-now each moved by the offset. */
function bodyOf(planned: PlannedBatch, planner: BulkPlanner, offsetMs: number | undefined): string {
  const lines = planned.map((index) => planner.line(index));
  if (offsetMs === undefined) return lines.join('\n');
  return lines
    .map((line) => JSON.stringify(shiftEvent(JSON.parse(line) as unknown, offsetMs)))
    .join('\n');
}
