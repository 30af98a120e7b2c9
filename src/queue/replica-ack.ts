import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';

/**
 * Replication is asynchronous: a primary that dies right after taking a job may hand over to a
 * replica that never saw it. With REDIS_MIN_REPLICAS_ACK = n the API says 202 only after `WAIT n`
 * saw n replicas acknowledge the add. WAIT counts the writes of the connection it is sent on, so
 * it goes on the queue's own client, the connection BullMQ sent the add on.
 */
export class NotReplicatedError extends Error {
  constructor(
    readonly acknowledged: number,
    readonly wanted: number,
  ) {
    super(`${acknowledged} of ${wanted} replica(s) acknowledged the batch in time`);
    this.name = 'NotReplicatedError';
  }
}

export type ConfirmReplicated = () => Promise<void>;

export function replicaAck(
  queue: Pick<Queue, 'getBackend'>,
  options: { minReplicas: number; timeoutMs: number; registry?: Registry },
): ConfirmReplicated | undefined {
  if (options.minReplicas === 0) return undefined;
  const refused = new Counter({
    name: 'pss_replica_ack_refusals_total',
    help: 'Batches answered 503 because too few Redis replicas acknowledged them in time',
    registers: options.registry ? [options.registry] : [],
  });
  return async () => {
    const client = await queue.getBackend().client;
    const acknowledged = Number(
      await client.runCommand('wait', [options.minReplicas, options.timeoutMs]),
    );
    if (acknowledged < options.minReplicas) {
      refused.inc();
      throw new NotReplicatedError(acknowledged, options.minReplicas);
    }
  };
}
