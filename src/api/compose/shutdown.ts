import { closeConnections, type ApiConnections } from './connections.ts';
import type { Listeners } from './listeners.ts';

/**
 * The API's shutdown order: stop taking connections and answer the requests in flight (which may
 * still add to a queue), then close the queues, then Redis and Cassandra.
 */
export async function shutdownInOrder(parts: {
  readonly listeners: Listeners;
  /** The events queues and the erasures' queue: anything a request in flight may still add to. */
  readonly queues: readonly { close(): Promise<void> }[];
  readonly connections: ApiConnections;
}): Promise<void> {
  await Promise.all([parts.listeners.main.close(), parts.listeners.admin?.close()]);
  for (const q of parts.queues) await q.close();
  await closeConnections(parts.connections);
}
