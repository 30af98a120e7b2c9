import { QueueEvents } from 'bullmq';
import type { Config } from '../../src/config/env.ts';
import { queueSpecs } from '../../src/queue/queue-specs.ts';
import { bullConnection, workerRedisOptions } from '../../src/queue/redis-connections.ts';

/**
 * Which batch jobs completed, how often and when, as BullMQ's event stream tells it. A done job
 * is removed at once (its record stays: src/queue/batch-records.ts), so the stream is where tests
 * see that a batch ran exactly once, whichever process ran it — on every events queue.
 */
export class Completions {
  private readonly times = new Map<string, number[]>();
  private readonly ofQueue: number[];

  private constructor(private readonly events: readonly QueueEvents[]) {
    this.ofQueue = events.map(() => 0);
    events.forEach((stream, queue) =>
      stream.on('completed', ({ jobId }, id) => {
        this.ofQueue[queue]! += 1;
        // A stream entry id is `<ms>-<seq>`: the moment Redis recorded the completion.
        const at = Number(id.split('-')[0]);
        this.times.set(jobId, [...(this.times.get(jobId) ?? []), at]);
      }),
    );
  }

  /** Listens from the start of each queue's event stream, so completions before now count too. */
  static async watch(config: Pick<Config, 'redis' | 'queue'>): Promise<Completions> {
    const events = queueSpecs(config).map((spec) => {
      const stream = new QueueEvents(spec.queue.name, {
        connection: bullConnection(spec.target, workerRedisOptions()),
        prefix: spec.queue.prefix,
        lastEventId: '0-0',
      });
      stream.on('error', () => undefined); // tests that kill Redis break this connection on purpose
      return stream;
    });
    await Promise.all(events.map((stream) => stream.waitUntilReady()));
    return new Completions(events);
  }

  /** How many times this batch's job completed. */
  count(batchId: string): number {
    return this.times.get(batchId)?.length ?? 0;
  }

  /** How many job completions were seen in all. */
  total(): number {
    let sum = 0;
    for (const list of this.times.values()) sum += list.length;
    return sum;
  }

  /** How many job completions each events queue saw, in routing order. */
  perQueue(): readonly number[] {
    return [...this.ofQueue];
  }

  /** When the batch's job first completed (epoch ms), if it did. */
  completedAt(batchId: string): number | undefined {
    return this.times.get(batchId)?.[0];
  }

  async close(): Promise<void> {
    await Promise.all(this.events.map((stream) => stream.close()));
  }
}
