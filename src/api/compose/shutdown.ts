import { closeConnections, type ApiConnections } from './connections.ts';
import type { Ingest } from './ingest.ts';
import type { Listeners } from './listeners.ts';

/**
 * The API's shutdown order: stop taking connections and answer the requests in flight (which may
 * still add to a queue), then close the queues, then Redis and Cassandra.
 */
export async function shutdownInOrder(parts: {
  readonly listeners: Listeners;
  readonly ingest: Ingest;
  readonly connections: ApiConnections;
}): Promise<void> {
  await Promise.all([parts.listeners.main.close(), parts.listeners.admin?.close()]);
  await parts.ingest.close();
  await closeConnections(parts.connections);
}
