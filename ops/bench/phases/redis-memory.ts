import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pMap from 'p-map';
import { LiveTraffic } from '../live-traffic.ts';
import { drained, type BenchTarget } from '../target.ts';

export interface RedisMemoryOptions {
  /** Done batches measured per kind (with and without an Idempotency-Key). */
  readonly batches: number;
  /** Batches posted while the queue is paused, to measure what a waiting batch costs. */
  readonly waiting: number;
}

export interface RedisMemoryResult {
  readonly batches: number;
  readonly eventsPerBatch: number;
  /** Redis bytes (INFO used_memory, queue drained) per done batch, as kept now: its record. */
  readonly doneBytesPerBatch: { readonly keyed: number; readonly unkeyed: number };
  /** What keeping the whole completed job costs instead (the way before the records). */
  readonly keptJobBytesPerBatch: number;
  readonly waitingBytesPerBatch: number;
  readonly waitingBytesPerEvent: number;
}

const EVENTS_PER_BATCH = 10;
const CONCURRENCY = 32;
const WARMUP_BATCHES = 5000;

/**
 * What Redis holds per batch, from INFO used_memory before and after (queue drained):
 * `options.batches` batches posted with an Idempotency-Key, as many without, and `waiting` more
 * posted into a paused queue. For comparison, the same number of completed jobs of the same shape
 * kept whole (BullMQ's `removeOnComplete: { age }`, as done batches were kept before the records),
 * on a scratch queue with a worker that does nothing.
 */
export async function redisMemory(
  target: BenchTarget,
  options: RedisMemoryOptions,
): Promise<RedisMemoryResult> {
  const redis = new Redis(target.redisUrl);
  const traffic = new LiveTraffic(7, 20_000, `mem-${target.runId}`);
  try {
    // BullMQ's event stream is capped (~10,000 entries): filled first, so that its growth is
    // not counted as the batches'.
    await postBatches(target, traffic, WARMUP_BATCHES);
    await drained(target);
    const m0 = await settledMemory(redis);
    await postBatches(target, traffic, options.batches, (i) => `mem-${target.runId}-${i}`);
    await drained(target);
    const keyed = await settledMemory(redis);
    await postBatches(target, traffic, options.batches);
    await drained(target);
    const unkeyed = await settledMemory(redis);
    target.say(
      `  done: keyed ${per(keyed - m0, options.batches)} B, unkeyed ${per(unkeyed - keyed, options.batches)} B a batch`,
    );

    await target.queue.pause();
    await postBatches(target, traffic, options.waiting);
    const waiting = await settledMemory(redis);
    await target.queue.resume();
    await drained(target);

    const kept = await keptJobBytes(target.redisUrl, redis, traffic, options.batches);
    return {
      batches: options.batches * 2,
      eventsPerBatch: EVENTS_PER_BATCH,
      doneBytesPerBatch: {
        keyed: per(keyed - m0, options.batches),
        unkeyed: per(unkeyed - keyed, options.batches),
      },
      keptJobBytesPerBatch: kept,
      waitingBytesPerBatch: per(waiting - unkeyed, options.waiting),
      waitingBytesPerEvent: per(waiting - unkeyed, options.waiting * EVENTS_PER_BATCH),
    };
  } finally {
    redis.disconnect();
  }
}

async function postBatches(
  target: BenchTarget,
  traffic: LiveTraffic,
  count: number,
  keyOf?: (i: number) => string,
): Promise<void> {
  let refused = 0;
  await pMap(
    Array.from({ length: count }, (_, i) => i),
    async (i) => {
      const headers = keyOf ? { 'idempotency-key': keyOf(i) } : {};
      for (;;) {
        const response = await target.client.post(
          '/v1/batches',
          JSON.stringify(traffic.batch()),
          headers,
        );
        if (response.status === 202) return;
        // 503 queue_full while the workers catch up: wait as a client is told to.
        if (response.status !== 503)
          throw new Error(`POST answered ${response.status}: ${response.body}`);
        refused++;
        await sleep(1000);
      }
    },
    { concurrency: CONCURRENCY },
  );
  if (refused) target.say(`  (${refused} POSTs refused with 503 and sent again)`);
}

/** The kept-job way, measured the same way, on a scratch queue that is removed afterwards. */
async function keptJobBytes(
  url: string,
  redis: Redis,
  traffic: LiveTraffic,
  count: number,
): Promise<number> {
  const prefix = `pss_mem_reference_${Date.now()}`;
  const queue = new Queue('events', { connection: { url }, prefix });
  const worker = new Worker('events', () => Promise.resolve(), {
    connection: { url },
    prefix,
    concurrency: 64,
  });
  try {
    const before = await settledMemory(redis);
    for (let i = 0; i < count; i += 1000) {
      const jobs = Array.from({ length: Math.min(1000, count - i) }, () => ({
        name: 'batch',
        data: { events: traffic.batch().map(wire), acceptedAt: Date.now() },
        opts: { removeOnComplete: { age: 86_400 } },
      }));
      await queue.addBulk(jobs);
    }
    while ((await queue.getJobCounts('completed')).completed !== count) await sleep(200);
    return per((await settledMemory(redis)) - before, count);
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** The job data of one event, as src/queue/events-queue.ts puts it on the queue. */
function wire(e: Record<string, string>): readonly [string, string, string, number, string] {
  return [
    e.event ?? '',
    e.session_id ?? '',
    e.player_id ?? '',
    Date.parse(e.ts ?? ''),
    e.country ?? '',
  ];
}

async function settledMemory(redis: Redis): Promise<number> {
  // Lets expired snapshots and lazily freed memory settle before the reading.
  await sleep(1000);
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
}

const per = (bytes: number, count: number) => Math.round(bytes / count);
