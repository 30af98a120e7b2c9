// npm run replay-failed: puts every failed batch job of QUEUE_NAME back on the queue.
import { loadConfig } from '../src/config/env.ts';
import { createEventsQueue } from '../src/queue/events-queue.ts';
import { createRedis, apiRedisOptions } from '../src/queue/redis-connections.ts';
import { replayFailed } from '../src/queue/replay-failed.ts';
import { OpsError, runCli } from './lib/errors.ts';

await runCli(async () => {
  const config = loadConfig();
  const redis = createRedis(
    config.redis,
    { ...apiRedisOptions(), enableOfflineQueue: true },
    () => undefined,
  );
  const queue = createEventsQueue(redis, config.queue);
  queue.on('error', () => undefined);
  try {
    const replayed = await replayFailed(queue).catch((err: unknown) => {
      throw new OpsError(`Redis at ${config.redis.url} did not answer: ${String(err)}`);
    });
    console.log(
      replayed === 0
        ? `No failed batch in queue ${config.queue.name}.`
        : `Put ${replayed} failed batch job(s) of queue ${config.queue.name} back on the queue.`,
    );
  } finally {
    await queue.close();
    redis.disconnect();
  }
});
