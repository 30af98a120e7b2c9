import { expect } from 'chai';
import {
  BatchProducer,
  batchIdFor,
  IdempotencyKeyReusedError,
} from '../../../../src/api/ingest/batch-producer.ts';
import type { DoneRecord } from '../../../../src/queue/batch-records.ts';
import type { BatchJobData } from '../../../../src/queue/events-queue.ts';
import type { SessionEvent } from '../../../../src/domain/events.ts';

/**
 * A queue and its done records as the producer sees them in Redis, with a hook that runs right
 * after a record read: there a worker can complete the first job, in the instant between the
 * producer's read and its add.
 */
class FakeQueueRedis {
  readonly jobs = new Map<string, BatchJobData>();
  readonly records = new Map<string, DoneRecord>();
  afterNextRead: (() => void) | undefined;

  /** What a worker does: the record first, then the job completes and is removed. */
  complete(batchId: string): void {
    const data = this.jobs.get(batchId)!;
    this.records.set(batchId, {
      accepted: data.events.length,
      ...(data.fingerprint === undefined ? {} : { fingerprint: data.fingerprint, rejected: [] }),
    });
    this.jobs.delete(batchId);
  }

  producer(): BatchProducer {
    const queue = {
      add: (_name: string, data: BatchJobData, opts: { jobId: string }) => {
        if (!this.jobs.has(opts.jobId)) this.jobs.set(opts.jobId, data);
        return Promise.resolve({});
      },
      getJob: (id: string) => {
        const data = this.jobs.get(id);
        return Promise.resolve(data && { data, getState: () => Promise.resolve('waiting') });
      },
    };
    const records = {
      read: (id: string) => {
        const record = this.records.get(id);
        const hook = this.afterNextRead;
        this.afterNextRead = undefined;
        hook?.();
        return Promise.resolve(record);
      },
    };
    return new BatchProducer(queue as never, records, {
      timeoutMs: 1000,
      isConnected: () => true,
    });
  }
}

const events = (n: number): SessionEvent[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'end' as const,
    sessionId: `s${i}`,
    playerId: 'p',
    country: undefined,
    ts: 1_700_000_000_000 + i,
  }));

function keyed(batchId: string, body: string, n: number) {
  return {
    batchId,
    keyed: true,
    events: events(n),
    rejected: [],
    body: Buffer.from(body),
    acceptedAt: 1,
  };
}

describe('the batch producer with an Idempotency-Key', () => {
  const batchId = batchIdFor('key-1');

  it('refuses another body while the first batch is still queued', async () => {
    const redis = new FakeQueueRedis();
    const producer = redis.producer();
    await producer.enqueue(keyed(batchId, 'first', 2));
    const error = await producer.enqueue(keyed(batchId, 'second', 3)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(IdempotencyKeyReusedError);
  });

  it('refuses another body when the first batch completed between its record read and its add', async () => {
    const redis = new FakeQueueRedis();
    const producer = redis.producer();
    await producer.enqueue(keyed(batchId, 'first', 2));
    redis.afterNextRead = () => redis.complete(batchId);
    const error = await producer.enqueue(keyed(batchId, 'second', 3)).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(IdempotencyKeyReusedError);
    // The add made a job of the second body: the worker drops it, since the batch has a record.
    expect(redis.records.get(batchId)?.accepted).to.equal(2);
  });

  it('answers a repeat of the first body with what the first was told, in the same race', async () => {
    const redis = new FakeQueueRedis();
    const producer = redis.producer();
    await producer.enqueue(keyed(batchId, 'first', 2));
    redis.afterNextRead = () => redis.complete(batchId);
    const repeat = await producer.enqueue(keyed(batchId, 'first', 2));
    expect(repeat).to.deep.equal({ batchId, accepted: 2, rejected: [] });
  });

  it('answers a repeat from the record once the first batch is done and its job gone', async () => {
    const redis = new FakeQueueRedis();
    const producer = redis.producer();
    await producer.enqueue(keyed(batchId, 'first', 2));
    redis.complete(batchId);
    expect(await producer.enqueue(keyed(batchId, 'first', 2))).to.deep.equal({
      batchId,
      accepted: 2,
      rejected: [],
    });
    expect(redis.jobs.size).to.equal(0);
  });
});
