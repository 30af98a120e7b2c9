import type { Config } from '../../config/env.ts';
import type { Logger } from '../../observability/logger.ts';
import { createErasuresQueue, type ErasuresQueue } from '../../queue/erasures-queue.ts';
import type { Guard } from '../access/access.ts';
import type { RouteModule } from '../app.ts';
import { erasureRoutes } from '../routes/erasures.ts';
import type { ApiConnections } from './connections.ts';

/** Player erasures (DELETE /v1/players/{id}): a queue of their own on REDIS_URL, and its routes. */
export interface Erasures {
  readonly queue: ErasuresQueue;
  routes(guard: Guard): RouteModule;
  close(): Promise<void>;
}

export function composeErasures(
  config: Config,
  connections: ApiConnections,
  deps: { logger: Logger; now: () => number },
): Erasures {
  const queue = createErasuresQueue(connections.redis, config.queue);
  queue.on('error', () => undefined); // the connection's own listener reports it
  return {
    queue,
    routes: (guard) =>
      erasureRoutes({
        queue,
        isConnected: () => connections.redis.status === 'ready',
        timeoutMs: config.queue.enqueueTimeoutMs,
        now: deps.now,
        logger: deps.logger.child({ module: 'erasures' }),
        guard,
      }),
    close: () => queue.close(),
  };
}
