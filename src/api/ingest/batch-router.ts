import {
  refusalFor,
  type BackpressureLimits,
  type LoadSampler,
  type RefusalReason,
} from './backpressure.ts';
import type { BatchProducer } from './batch-producer.ts';
import { queueIndexOf } from '../../queue/queue-routing.ts';

type Producer = Pick<BatchProducer, 'enqueue' | 'repeatOf' | 'status'>;

/** One events queue as the ingest routes use it: its producer, and its load. */
export interface RoutedQueue {
  readonly producer: Producer;
  readonly load: Pick<LoadSampler, 'current'>;
}

/**
 * The ingest routes' view of N queues: every call about a batch goes to the batch's own queue
 * (src/queue/queue-routing.ts), so its job, its done record, its replica acknowledgement and its
 * backpressure are all that queue's. With one queue every call goes to its producer unchanged.
 */
export class BatchRouter implements Producer {
  constructor(
    private readonly queues: readonly RoutedQueue[],
    private readonly limits: BackpressureLimits,
  ) {
    if (queues.length === 0) throw new RangeError('no queue to route batches to');
  }

  /** Why the batch's queue cannot take it now, or undefined: another queue being full is no reason. */
  async refusal(batchId: string): Promise<RefusalReason | undefined> {
    return refusalFor(await this.of(batchId).load.current(), this.limits);
  }

  enqueue(request: Parameters<Producer['enqueue']>[0]): ReturnType<Producer['enqueue']> {
    return this.of(request.batchId).producer.enqueue(request);
  }

  repeatOf(request: Parameters<Producer['repeatOf']>[0]): ReturnType<Producer['repeatOf']> {
    return this.of(request.batchId).producer.repeatOf(request);
  }

  status(batchId: string): ReturnType<Producer['status']> {
    return this.of(batchId).producer.status(batchId);
  }

  private of(batchId: string): RoutedQueue {
    const queue = this.queues[queueIndexOf(batchId, this.queues.length)];
    if (!queue) throw new RangeError(`no queue for batch ${batchId}`); // never: the index is < N
    return queue;
  }
}
