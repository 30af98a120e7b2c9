import { randomUUID } from 'node:crypto';
import { OpsError } from '../lib/errors.ts';
import { inBatches } from './batcher.ts';
import { openLines, type LineSource } from './line-source.ts';
import { LoadTally } from './load-tally.ts';
import { postBatch, type PosterOptions } from './poster.ts';
import { sendForLoader, type OutgoingBatch, type SendResult } from './send-batches.ts';
import { rebaseOffsetMs, shiftEvent } from './rebase.ts';
import { scan } from './file-scan.ts';

export interface LoadOptions extends PosterOptions {
  readonly file: string;
  readonly concurrency: number;
  readonly batchSize: number;
  /** Shift every ts by one offset so that the newest event of the file is now. */
  readonly rebaseToNow: boolean;
  /** Keep the ids of accepted batches (for --wait). */
  readonly keepBatchIds?: boolean;
  /** After this many batches lost in a row, stop sending: the service is not there. */
  readonly giveUpAfter?: number;
  readonly now?: () => number;
  /** Aborting stops reading the file; batches already sent are still seen through. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: LoadProgress) => void;
}

export interface LoadProgress {
  /** scan: counting lines first; plan: reading the file to plan bulk batches; load: sending. */
  readonly phase: 'scan' | 'plan' | 'load';
  /** Scan: lines counted so far. Load: events settled (answered by the service, or lost). */
  readonly done: number;
  /** Load: the events the file holds. */
  readonly total: number | undefined;
  readonly tally: LoadTally;
  readonly source: LineSource;
}

export interface LoadResult {
  readonly tally: LoadTally;
  /** The offset applied to every ts, with --rebase-to-now. */
  readonly offsetMs: number | undefined;
  readonly newestMs: number | undefined;
  readonly durationMs: number;
  readonly gaveUp: boolean;
  readonly interrupted: boolean;
  /** The file could not be read to its end (e.g. a corrupt .bz2). */
  readonly readError: Error | undefined;
  /** Bulk mode: the planned batches, the first one not known answered (where to resume), and the batch size the plan depends on. */
  readonly resume?: { readonly next: number; readonly of: number; readonly eventsPerBatch: number };
}

/** Reads a file of events and posts it to the service in batches, `concurrency` at a time. */
export async function loadFile(options: LoadOptions): Promise<LoadResult> {
  const started = performance.now();
  const now = options.now ?? Date.now;
  const source = await openLines(options.file);
  const tally = new LoadTally(options.keepBatchIds);
  // A first pass knows the total ahead of the load, for an exact ETA even on a compressed file
  // (whose decompressed size is unknown), and finds the newest ts for --rebase-to-now.
  const scanned = await scan(source, options.rebaseToNow, (done) =>
    options.onProgress?.({ phase: 'scan', done, total: undefined, tally, source }),
  );
  const progress = () =>
    options.onProgress?.({
      phase: 'load',
      done: tally.settled,
      total: scanned.lines,
      tally,
      source,
    });

  const newestMs = scanned.newestMs;
  let offsetMs: number | undefined;
  if (options.rebaseToNow) {
    if (newestMs === undefined) {
      throw new OpsError(`${options.file} has no event with a valid ts to rebase`);
    }
    offsetMs = rebaseOffsetMs(newestMs, now());
  }

  let readError: Error | undefined;
  let interrupted = false;
  async function* events(): AsyncGenerator {
    try {
      for await (const line of source.lines()) {
        if (options.signal?.aborted) {
          interrupted = true;
          return;
        }
        if (line.trim() === '') continue;
        tally.read += 1;
        let value: unknown;
        try {
          value = JSON.parse(line);
        } catch {
          tally.rejectLocally('invalid_json');
          continue;
        }
        yield offsetMs === undefined ? value : shiftEvent(value, offsetMs);
      }
    } catch (err) {
      // Whatever was sent is still seen through; the error is reported at the end.
      readError = err instanceof Error ? err : new Error(String(err));
    }
  }

  const runId = randomUUID();
  const batches = async function* (): AsyncGenerator<OutgoingBatch> {
    let index = 0;
    for await (const batch of inBatches(events(), options.batchSize)) {
      const key = `load-${runId}-${index++}`;
      yield {
        size: batch.length,
        send: (onRetry) => postBatch(batch, key, { ...options, onRetry }),
      };
    }
  };
  const sent = await sendForLoader(batches(), options, { tally, progress });
  return { tally, offsetMs, newestMs, ...settled(started, sent), interrupted, readError };
}

/** The part of a load's result every loader states the same way. */
export function settled(
  started: number,
  sent: SendResult,
): Pick<LoadResult, 'durationMs' | 'gaveUp'> {
  return { durationMs: performance.now() - started, gaveUp: sent.gaveUp };
}
