import type { Redis } from 'ioredis';
import type { RejectedEvent } from '../domain/event-validation.ts';

/**
 * What is left of a batch once it is done: a small Redis string instead of its whole BullMQ job
 * (which is removed when it completes). It holds exactly what the contract's answers need after
 * that moment — the accepted count for `GET /v1/batches/{id}`, and for an Idempotency-Key the
 * fingerprint of the first body and the rejections the first request was told about — and expires
 * after `BATCH_KEEP_DONE_SECONDS`, the status and idempotency window.
 *
 * The value is a JSON array, `[accepted]` or `[accepted, fingerprint]` or
 * `[accepted, fingerprint, rejected]`: readable with redis-cli, and ~180–230 bytes of Redis a batch
 * (docs/BENCHMARKS.md, Compact batch records) where the kept job took ~2.4–3.7 kB.
 */
export interface DoneRecord {
  readonly accepted: number;
  /** With an Idempotency-Key: the hash of the first request's body. */
  readonly fingerprint?: string;
  readonly rejected?: readonly RejectedEvent[];
}

type Encoded = [number] | [number, string] | [number, string, readonly RejectedEvent[]];

export function encodeRecord(record: DoneRecord): string {
  const value: Encoded =
    record.fingerprint === undefined
      ? [record.accepted]
      : record.rejected && record.rejected.length > 0
        ? [record.accepted, record.fingerprint, record.rejected]
        : [record.accepted, record.fingerprint];
  return JSON.stringify(value);
}

export function decodeRecord(text: string): DoneRecord {
  const [accepted, fingerprint, rejected] = JSON.parse(text) as Encoded;
  return {
    accepted,
    ...(fingerprint === undefined ? {} : { fingerprint, rejected: rejected ?? [] }),
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
