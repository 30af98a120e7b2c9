import type { Redis } from 'ioredis';
import type { RejectedEvent } from '../domain/event-validation.ts';

/**
 * What is left of a batch once it is done: a small Redis string instead of its whole BullMQ job
 * (which is removed when it completes). It holds exactly what the contract's answers need after
 * that moment — the accepted count for `GET /v1/batches/{id}`, and for an Idempotency-Key the
 * fingerprint of the first body and the rejections the first request was told about — and expires
 * after `BATCH_KEEP_DONE_SECONDS`, the status and idempotency window.
 *
 * The value is a JSON array, `[accepted, fingerprint, rejected, version]` (null for a fingerprint
 * or rejections the batch has not): readable with redis-cli, and ~180–230 bytes of Redis a batch
 * (docs/BENCHMARKS.md, Compact batch records) where the kept job took ~2.4–3.7 kB. 0.1.0 wrote
 * `[accepted]`, `[accepted, fingerprint]` or `[accepted, fingerprint, rejected]`, without a
 * version: those are version 1 too. The version goes last so that 0.1.0, which reads the first
 * three places and ignores the rest, reads this release's records as its own during a rolling
 * upgrade (docs/DECISIONS.md, "Versioned queue payloads").
 */
export const RECORD_VERSION = 1;

/**
 * A done record written by a newer release, in a form this one does not know (a rolling upgrade):
 * the API answers 503 and the client retries, meeting a newer API process or a finished upgrade.
 */
export class UnknownRecordVersionError extends Error {
  override readonly name = 'UnknownRecordVersionError';
  constructor(readonly version: unknown) {
    super(`the batch's record is of version ${String(version)}, newer than ${RECORD_VERSION}`);
  }
}

export interface DoneRecord {
  readonly accepted: number;
  /** With an Idempotency-Key: the hash of the first request's body. */
  readonly fingerprint?: string;
  readonly rejected?: readonly RejectedEvent[];
}

type Encoded = [
  accepted: number,
  fingerprint?: string | null,
  rejected?: readonly RejectedEvent[] | null,
  version?: number,
];

export function encodeRecord(record: DoneRecord): string {
  const rejected = record.rejected && record.rejected.length > 0 ? record.rejected : null;
  const value: Encoded = [record.accepted, record.fingerprint ?? null, rejected, RECORD_VERSION];
  return JSON.stringify(value);
}

export function decodeRecord(text: string): DoneRecord {
  const value: unknown = JSON.parse(text);
  // Not an array led by a count: a later release's form, never this one's to guess at.
  if (!Array.isArray(value) || typeof value[0] !== 'number')
    throw new UnknownRecordVersionError(undefined);
  const [accepted, fingerprint, rejected, version = 1] = value as Encoded;
  if (version !== RECORD_VERSION) throw new UnknownRecordVersionError(version);
  return {
    accepted,
    ...(fingerprint == null ? {} : { fingerprint, rejected: rejected ?? [] }),
  };
}

/** The records of one queue, under its BullMQ prefix (`<prefix>:<queue>:done:<batch id>`). */
export class BatchRecords {
  private readonly keyPrefix: string;
  private readonly ttlSeconds: number;

  constructor(
    private readonly redis: Pick<Redis, 'get' | 'set'>,
    queue: { readonly prefix: string; readonly name: string; readonly keepDoneSeconds: number },
  ) {
    // Batch ids are UUIDs, so no record key can ever be read as one of BullMQ's own keys.
    this.keyPrefix = `${queue.prefix}:${queue.name}:done:`;
    this.ttlSeconds = queue.keepDoneSeconds;
  }

  /** Written by the worker once the batch's writes are all in Cassandra, before its job completes. */
  async markDone(batchId: string, record: DoneRecord): Promise<void> {
    await this.redis.set(this.keyPrefix + batchId, encodeRecord(record), 'EX', this.ttlSeconds);
  }

  /** The done batch's record, or undefined when the batch is not done or its window has passed. */
  async read(batchId: string): Promise<DoneRecord | undefined> {
    const text = await this.redis.get(this.keyPrefix + batchId);
    return text === null ? undefined : decodeRecord(text);
  }
}
