import { randomUUID } from 'node:crypto';
import pMap from 'p-map';
import { postBatch, type BatchOutcome } from '../../ops/data/poster.ts';
import type { RetryPolicy } from '../../ops/data/retry-policy.ts';
import type { RawEvent } from './events.ts';

export interface Posted {
  readonly events: readonly RawEvent[];
  /** Indices the API rejected, with their codes. */
  readonly rejected: ReadonlyMap<number, string>;
  readonly batchId: string;
}

/**
 * Retries that outlast every outage the tests cause (Redis or the API restarted, a process
 * stopped): minutes of them, never more than two seconds apart, never before Retry-After.
 */
const PERSISTENT: RetryPolicy = {
  retries: 400,
  baseDelayMs: 100,
  maxDelayMs: 2000,
  maxRetryAfterMs: 5000,
};

/**
 * Posts one batch until the API answers it for good, through the loader's own client
 * (ops/data/poster.ts): 503s and refused or dropped connections are retried with one
 * Idempotency-Key (a fresh one unless given; `null` sends none), as the contract asks of clients.
 */
export function postPersistently(
  url: string,
  events: readonly unknown[],
  options: { format?: 'json' | 'ndjson'; idempotencyKey?: string | null; apiKey?: string } = {},
): Promise<BatchOutcome> {
  const key = options.idempotencyKey === undefined ? randomUUID() : options.idempotencyKey;
  return postBatch(events, key ?? undefined, {
    url,
    policy: PERSISTENT,
    apiKey: options.apiKey,
    ...(options.format ? { format: options.format } : {}),
  });
}

/**
 * Posts every batch persistently. Calls `onAccepted` for each 202; a 400 (a batch without one
 * valid event) is reported, not retried; a batch that is never accepted fails the call.
 */
export async function postAll(
  url: string,
  batches: readonly (readonly RawEvent[])[],
  options: {
    concurrency: number;
    onAccepted(posted: Posted): void;
    onRefused?(events: readonly RawEvent[]): void;
  },
): Promise<{ retries: number }> {
  let retries = 0;
  await pMap(
    batches,
    async (events) => {
      const outcome = await postPersistently(url, events);
      retries += outcome.retries;
      if (outcome.kind === 'lost') throw new Error(`batch never accepted: ${outcome.reason}`);
      if (outcome.kind === 'refused') options.onRefused?.(events);
      else options.onAccepted({ events, batchId: outcome.batchId, rejected: outcome.rejectedAt });
    },
    { concurrency: options.concurrency },
  );
  return { retries };
}
