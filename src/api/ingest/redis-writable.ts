import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';
import { withTimeout } from '../../runtime/timeout.ts';

/**
 * Whether each queue's Redis can write now, read at scrape time: it answers, and its last AOF
 * write (and RDB save, when one is configured) succeeded. A Redis that cannot persist — its disk
 * full — refuses every write with MISCONF (appendfsync everysec) or exits (appendfsync always, as
 * this service runs it); either way nothing can be accepted, and the RedisNotWritable alert
 * (ops/prometheus/alerts.yml) fires on this gauge at 0.
 */
export function registerRedisWritable(
  registry: Registry,
  queues: readonly { readonly name: string; readonly redis: Pick<Redis, 'info' | 'status'> }[],
  timeoutMs: number,
): void {
  new Gauge({
    name: 'redis_writable',
    help: 'Whether the queue’s Redis answers and its last persistence write succeeded (0: it refuses writes, e.g. a full disk), per queue',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      await Promise.all(
        queues.map(async ({ name, redis }) => {
          const ok =
            redis.status === 'ready' &&
            (await withTimeout(redis.info('persistence'), timeoutMs).then(
              persistenceOk,
              () => false,
            ));
          this.set({ queue: name }, ok ? 1 : 0);
        }),
      );
    },
  });
}

/** From the text of `INFO persistence`: no failed AOF write and no failed RDB save. */
export function persistenceOk(info: string): boolean {
  return !/^(aof_last_write_status|rdb_last_bgsave_status):err/m.test(info);
}
