import type { SessionEvent } from '../../src/domain/events.ts';
import { isRetained } from '../../src/domain/retention.ts';
import { fromWire, PAYLOAD_VERSION, type WireEvent } from '../../src/queue/events-queue.ts';

/** A job whose data is not a batch the API could have queued: retrying it cannot help. */
export class InvalidBatchError extends Error {
  override readonly name = 'InvalidBatchError';
}

/**
 * A job written by a newer release than this one, in a payload version this one does not know.
 * Nothing is wrong with it: it waits for a worker of that release (workers/jobs/batch-job-handler.ts)
 * instead of being failed or read as something it is not.
 */
export class UnknownPayloadVersionError extends Error {
  override readonly name = 'UnknownPayloadVersionError';
  constructor(readonly version: number) {
    super(`payload version ${version} is newer than this worker's (${PAYLOAD_VERSION})`);
  }
}

export interface DecodedBatch {
  readonly events: SessionEvent[];
  readonly acceptedAt: number;
}

/** Step "decode": a job's events that are still within the retention, and how many are not. */
export interface DecodedJob extends DecodedBatch {
  /** Accepted events that left the retention while their job waited or was retried. */
  readonly expired: number;
}

export function decode(data: unknown, now: number, retentionMs: number): DecodedJob {
  const { events: all, acceptedAt } = decodeBatch(data);
  const events = all.filter((e) => isRetained(e.ts, now, retentionMs));
  return { events, acceptedAt, expired: all.length - events.length };
}

/**
 * Checks a job's data against the wire format (src/queue/events-queue.ts) before any of it is
 * written: the API only queues valid batches, so a job that fails here was put on the queue by
 * something else (a hand-made job, a format no release wrote) and is failed, not retried. A payload
 * of a newer version is not invalid, only not for this worker: UnknownPayloadVersionError.
 */
export function decodeBatch(data: unknown): DecodedBatch {
  if (typeof data !== 'object' || data === null)
    throw new InvalidBatchError('data is not an object');
  const { v, events, acceptedAt } = data as Record<string, unknown>;
  checkVersion(v);
  if (!Number.isFinite(acceptedAt)) throw new InvalidBatchError('acceptedAt is not a number');
  if (!Array.isArray(events)) throw new InvalidBatchError('events is not an array');
  return {
    events: events.map((e: unknown, i) => fromWire(checkWireEvent(e, i))),
    acceptedAt: acceptedAt as number,
  };
}

/** Absent: written by 0.1.0, version 1. Newer than this release: left for a newer worker. */
function checkVersion(v: unknown): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 1)
    throw new InvalidBatchError('v is not a payload version');
  if (v > PAYLOAD_VERSION) throw new UnknownPayloadVersionError(v);
}

function checkWireEvent(event: unknown, index: number): WireEvent {
  const problem = wireProblem(event);
  if (problem) throw new InvalidBatchError(`events[${index}]: ${problem}`);
  return event as WireEvent;
}

function wireProblem(event: unknown): string | undefined {
  if (!Array.isArray(event) || event.length !== 5)
    return 'not a [kind, session, player, ts, country] tuple';
  const [kind, sessionId, playerId, ts, country] = event as unknown[];
  if (kind !== 'start' && kind !== 'end')
    return `kind ${JSON.stringify(kind)} is neither start nor end`;
  if (typeof sessionId !== 'string' || sessionId === '') return 'session id is not a string';
  if (typeof playerId !== 'string' || playerId === '') return 'player id is not a string';
  if (!Number.isSafeInteger(ts)) return 'ts is not an integer of epoch milliseconds';
  if (typeof country !== 'string') return 'country is not a string';
  if (kind === 'start' && country === '') return 'a start has no country';
  return undefined;
}
