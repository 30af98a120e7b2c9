import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';
import { rounds } from '../runtime/rounds.ts';

/**
 * Replication is asynchronous: a primary that dies right after a write may hand over to a replica
 * that never saw it, and a failover back to an old primary discards everything the other node took
 * meanwhile. With REDIS_MIN_REPLICAS_ACK = n nothing the service says stands on Redis data that
 * fewer than n replicas hold: the API's 202s (a new batch, or a keyed repeat answered from its job
 * or its done record) and its batch statuses, and a worker's done record before its job completes.
 *
 * `WAIT n` counts the replicas that acknowledged every write of the connection it runs on, and
 * Redis replicates one ordered stream: a replica that has a write has everything written before
 * it, by any connection. So after its reads and writes a caller has one more write made on the
 * same connection — a fence, `INCR <queue>:replica-fence` — and WAITs for it: n replicas then hold
 * all that the caller read or wrote, whoever wrote it. Callers share fences and WAITs
 * (src/runtime/rounds.ts), each taking one sent after its own work finished. A connection that
 * closed in between may have reconnected to another Redis (a failover), where the fence covers
 * nothing the caller saw: that refuses too.
 */
export class NotReplicatedError extends Error {
  constructor(
    readonly acknowledged: number,
    readonly wanted: number,
    readonly reconnected = false,
  ) {
    super(
      reconnected
        ? 'the Redis connection was lost meanwhile: what was read may be on another Redis'
        : `${acknowledged} of ${wanted} replica(s) acknowledged in time`,
    );
    this.name = 'NotReplicatedError';
  }
}

/** Whether a round's answer confirms a caller's work: undefined when it does, else why not. */
export function refusalOf(round: {
  acknowledged: number;
  wanted: number;
  reconnected: boolean;
}): NotReplicatedError | undefined {
  if (round.reconnected) return new NotReplicatedError(round.acknowledged, round.wanted, true);
  if (round.acknowledged < round.wanted)
    return new NotReplicatedError(round.acknowledged, round.wanted);
  return undefined;
}

export interface ReplicaAck {
  /**
   * Runs `work` (its Redis reads and writes on this connection) and gives its result once enough
   * replicas hold everything it read or wrote; otherwise rejects with NotReplicatedError.
   */
  confirm<T>(work: () => Promise<T>): Promise<T>;
}

/** The fence key of a queue: under its BullMQ prefix, never a batch id or one of BullMQ's keys. */
export const fenceKeyOf = (queue: { readonly prefix: string; readonly name: string }) =>
  `${queue.prefix}:${queue.name}:replica-fence`;

/** The API's count of answers refused for want of replicas, one series per queue. */
export function replicaAckRefusals(registry: Registry): Counter<'queue'> {
  return new Counter({
    name: 'pss_replica_ack_refusals_total',
    help: 'Answers (202s of new or repeated batches, batch statuses) refused with 503 because too few Redis replicas acknowledged them in time, per queue',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
}

export function replicaAck(
  redis: Pick<Redis, 'pipeline' | 'on'>,
  options: {
    minReplicas: number;
    timeoutMs: number;
    fenceKey: string;
    /** Called for each refusal (the API counts them). */
    onRefused?: () => void;
  },
): ReplicaAck | undefined {
  if (options.minReplicas === 0) return undefined;
  let closes = 0;
  redis.on('close', () => closes++);
  const nextRound = rounds(async () => {
    const replies = await redis
      .pipeline()
      .incr(options.fenceKey)
      .call('WAIT', options.minReplicas, options.timeoutMs)
      .exec();
    const [fence, wait] = replies ?? [];
    const failure = fence?.[0] ?? wait?.[0];
    if (failure) throw failure;
    return Number(wait?.[1]);
  });
  return {
    async confirm(work) {
      const closesBefore = closes;
      const result = await work();
      const acknowledged = await nextRound();
      const refusal = refusalOf({
        acknowledged,
        wanted: options.minReplicas,
        reconnected: closes !== closesBefore,
      });
      if (refusal) {
        options.onRefused?.();
        throw refusal;
      }
      return result;
    },
  };
}
