import { setTimeout as sleep } from 'node:timers/promises';
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDelayMs,
  type RetryPolicy,
} from './retry-policy.ts';
import { settle, type BatchOutcome } from './batch-answer.ts';

export type { BatchOutcome };

export interface PosterOptions {
  /** The service's base URL, e.g. http://localhost:3000. */
  readonly url: string;
  readonly policy?: RetryPolicy;
  /** How the events travel: a JSON array (the default) or NDJSON, one event per line. */
  readonly format?: 'json' | 'ndjson';
  /** The route posted to: `/v1/batches` (the default) or `/v1/batches/bulk`. */
  readonly path?: string;
  /** Sent as `Authorization: Bearer <key>` (API_KEY / --api-key). */
  readonly apiKey?: string | undefined;
  /** A request that has not been answered by then counts as a connection failure. */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Told about every retry, with its reason. */
  readonly onRetry?: (reason: string) => void;
}

/**
 * POSTs one batch (a JSON array, or NDJSON), retrying 503s and connection failures. Every
 * attempt carries the same Idempotency-Key, so a batch the service took although its answer was
 * lost (a timeout, a reset connection) is not queued twice by the retry. (Without a key a retry
 * may queue the batch again: harmless to the views, whose writes are idempotent, but work.)
 */
export function postBatch(
  events: readonly unknown[],
  idempotencyKey: string | undefined,
  options: PosterOptions,
): Promise<BatchOutcome> {
  const ndjson = options.format === 'ndjson';
  const body = ndjson ? events.map((e) => JSON.stringify(e)).join('\n') : JSON.stringify(events);
  return postBody(
    { body, type: ndjson ? 'application/x-ndjson' : 'application/json', size: events.length },
    idempotencyKey,
    options,
  );
}

/** POSTs a body already written (`size` events), with postBatch's retries. */
export async function postBody(
  request: { readonly body: string; readonly type: string; readonly size: number },
  idempotencyKey: string | undefined,
  options: PosterOptions,
): Promise<BatchOutcome> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  for (let retries = 0; ; retries++) {
    let reason: string;
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(new URL(options.path ?? '/v1/batches', options.url), {
        method: 'POST',
        headers: {
          'content-type': request.type,
          ...(options.apiKey === undefined ? {} : { authorization: `Bearer ${options.apiKey}` }),
          ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
        },
        body: request.body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      const answer = await response.text();
      if (response.status !== 503) return settle(response.status, answer, request.size, retries);
      reason = '503';
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    } catch (err) {
      reason = connectionFailure(err);
    }
    if (retries >= policy.retries) {
      return { kind: 'lost', reason: `${reason}, ${retries} retries`, retries };
    }
    options.onRetry?.(reason);
    const delay = retryDelayMs(
      retries + 1,
      policy,
      (options.random ?? Math.random)(),
      retryAfterMs,
    );
    await (options.sleep ?? sleep)(delay);
  }
}

function connectionFailure(err: unknown): string {
  if (err instanceof DOMException && err.name === 'TimeoutError') return 'timeout';
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return cause.code;
  return typeof cause?.message === 'string' ? cause.message : 'connection failed';
}
