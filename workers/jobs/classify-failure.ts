import { isNotConnectionError } from 'bullmq';
import { NotReplicatedError } from '../../src/queue/replica-ack.ts';
import { isSchemaMissing, isStorageUnavailable } from '../../src/storage/storage-errors.ts';
import { CountsUnavailableError } from '../counts/counted-waiter.ts';
import { InvalidBatchError, UnknownPayloadVersionError } from '../pipeline/decode.ts';

/**
 * Why a batch job failed, and whether running it again can help. Only an outage is worth waiting
 * out: a store or queue that cannot answer now may answer in a moment. A payload that does not
 * decode, or an error nobody expected (a bug), fails the same way on every attempt — retrying it
 * only delays the alarm and spends the store's time — so it fails at once, for a human to look at
 * (and `npm run replay-failed` once fixed).
 */
export type FailureReason =
  | 'storage_unavailable'
  | 'redis_unavailable'
  | 'redis_not_replicated'
  | 'counts_unavailable'
  | 'schema_missing'
  | 'invalid_payload'
  | 'newer_payload'
  | 'bug';

/** Whether a later attempt may succeed, by reason: decided once, for classifyFailure and the metrics. */
export const RETRIED: Readonly<Record<FailureReason, boolean>> = {
  storage_unavailable: true,
  redis_unavailable: true,
  redis_not_replicated: true,
  counts_unavailable: true,
  schema_missing: true,
  newer_payload: true,
  invalid_payload: false,
  bug: false,
};

const kind = (reason: FailureReason): FailureKind => ({ reason, transient: RETRIED[reason] });

export interface FailureKind {
  readonly reason: FailureReason;
  /** True when a later attempt may succeed: the job is retried with backoff. */
  readonly transient: boolean;
}

/** Network errors a lost Redis connection surfaces with (Node's `code` on system errors). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Redis's error codes for "not now" — the first word of a ReplyError's message (ioredis gives no
 * `code` field): OOM among them, since a Redis at maxmemory frees memory as records expire and the
 * API stops adding (src/api/ingest/backpressure.ts), so a batch's done record can be written a little
 * later; READONLY from a primary that a failover has just made a replica (the connection then
 * finds the new one).
 */
const REDIS_NOT_NOW = new Set([
  'LOADING',
  'BUSY',
  'TRYAGAIN',
  'CLUSTERDOWN',
  'MASTERDOWN',
  'OOM',
  'READONLY',
  // Redis cannot write its AOF or RDB (a full disk): it refuses writes until it can again.
  'MISCONF',
]);

export function classifyFailure(err: unknown): FailureKind {
  // A missing schema is a store refusing, not a bad batch: the schema guard pauses the worker;
  // when it finds the schema in place after all, the job is retried like an outage.
  if (isSchemaMissing(err)) return kind('schema_missing');
  if (isStorageUnavailable(err)) return kind('storage_unavailable');
  if (isRedisUnavailable(err)) return kind('redis_unavailable');
  // Too few replicas hold the done record yet (src/queue/replica-ack.ts): its job must not
  // complete until they do, and a later attempt writes the record again.
  if (err instanceof NotReplicatedError) return kind('redis_not_replicated');
  // The rollup of the job's marks failed or did not come (workers/counts/): the marks stay, and a
  // later attempt marks and waits again.
  if (err instanceof CountsUnavailableError) return kind('counts_unavailable');
  // Written by a newer release (a rolling upgrade): a worker of that release can run it.
  if (err instanceof UnknownPayloadVersionError) return kind('newer_payload');
  if (err instanceof InvalidBatchError) return kind('invalid_payload');
  return kind('bug');
}

function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // ioredis (redis-errors): MaxRetriesPerRequestError and "Command aborted due to connection
  // close", a pipeline cut short, are both AbortErrors.
  if (err.name === 'MaxRetriesPerRequestError' || err.name === 'AbortError') return true;
  const code = (err as NodeJS.ErrnoException).code;
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  // BullMQ's own test for a closed connection (its ConnectionClosedError, ioredis's message).
  if (!isNotConnectionError(err)) return true;
  if (err.name === 'ReplyError') return REDIS_NOT_NOW.has(err.message.split(' ', 1)[0] ?? '');
  return false;
}
