import { pMapIterable } from 'p-map';
import type { LoadTally } from './load-tally.ts';
import type { BatchOutcome } from './poster.ts';

/** A batch ready to go: how many events it holds, and how it is posted. */
export interface OutgoingBatch {
  readonly size: number;
  send(onRetry: (reason: string) => void): Promise<BatchOutcome>;
}

export interface SendOptions {
  readonly concurrency: number;
  /** After this many batches lost in a row, stop sending: the service is not there. */
  readonly giveUpAfter: number;
  readonly tally: LoadTally;
  readonly onRetry?: (reason: string) => void;
  /** Told after every retry and every settled batch. */
  readonly progress: () => void;
}

export interface SendResult {
  readonly gaveUp: boolean;
  /** How many batches, from the first, were all answered (202 or 400): where a resume starts. */
  readonly answeredPrefix: number;
}

/** Sends batches `concurrency` at a time, in order of the iterable, tallying what became of them. */
export async function sendBatches(
  batches: AsyncIterable<OutgoingBatch> | Iterable<OutgoingBatch>,
  options: SendOptions,
): Promise<SendResult> {
  const { tally } = options;
  let lostInARow = 0;
  // Batches finish out of order; a resume may only skip the prefix that is answered throughout.
  const answered = new Set<number>();
  let answeredPrefix = 0;
  const post = async (batch: OutgoingBatch, index: number) => {
    if (lostInARow >= options.giveUpAfter) return { batch, index, outcome: undefined };
    const outcome = await batch.send((reason) => {
      tally.retries += 1;
      options.onRetry?.(reason);
      options.progress();
    });
    lostInARow = outcome.kind === 'lost' ? lostInARow + 1 : 0;
    return { batch, index, outcome };
  };
  for await (const { batch, index, outcome } of pMapIterable(batches, post, {
    concurrency: options.concurrency,
    preserveOrder: false,
  })) {
    if (outcome === undefined) tally.recordUnsent(batch.size);
    else tally.record(outcome, batch.size);
    if (outcome !== undefined && outcome.kind !== 'lost') answered.add(index);
    while (answered.delete(answeredPrefix)) answeredPrefix += 1;
    options.progress();
  }
  return { gaveUp: lostInARow >= options.giveUpAfter, answeredPrefix };
}

/** How a loader sends: its options, with the default give-up point (16 lost in a row, or more). */
export function sendForLoader(
  batches: AsyncIterable<OutgoingBatch> | Iterable<OutgoingBatch>,
  options: {
    readonly concurrency: number;
    readonly giveUpAfter?: number;
    readonly onRetry?: (reason: string) => void;
  },
  run: { readonly tally: LoadTally; readonly progress: () => void },
): Promise<SendResult> {
  return sendBatches(batches, {
    concurrency: options.concurrency,
    giveUpAfter: options.giveUpAfter ?? Math.max(16, options.concurrency),
    ...run,
    ...(options.onRetry ? { onRetry: options.onRetry } : {}),
  });
}
