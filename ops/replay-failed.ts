// npm run replay-failed: puts every failed batch job of every events queue back on its queue.
import { loadConfig } from '../src/config/env.ts';
import { createEventsQueue } from '../src/queue/events-queue.ts';
import { queueSpecs, type QueueSpec } from '../src/queue/queue-specs.ts';
import { createRedis, apiRedisOptions } from '../src/queue/redis-connections.ts';
import { replayFailed } from './lib/replay-failed.ts';
import { OpsError, runCli } from './lib/errors.ts';

/** One line about one queue: what was replayed, or why its Redis could not be asked. */
async function replayQueue(spec: QueueSpec): Promise<{ line: string; ok: boolean }> {
  const redis = createRedis(
    spec.target,
    { ...apiRedisOptions(), enableOfflineQueue: true },
    () => undefined,
  );
  const queue = createEventsQueue(redis, spec.queue);
  queue.on('error', () => undefined);
  const name = spec.queue.name;
  try {
    const replayed = await replayFailed(queue);
    return {
      ok: true,
      line:
        replayed === 0
          ? `No failed batch in queue ${name}.`
          : `Put ${replayed} failed batch job(s) of queue ${name} back on the queue.`,
    };
  } catch (err) {
    return { ok: false, line: `Redis at ${spec.target.url} did not answer: ${String(err)}` };
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

const USAGE = [
  'usage: npm run replay-failed',
  'Puts every failed batch job of every events queue back on its queue.',
].join('\n');

await runCli(USAGE, async () => {
  // Every queue is tried, one Redis that does not answer holding up none of the others.
  const results = await Promise.all(queueSpecs(loadConfig()).map(replayQueue));
  for (const { line, ok } of results) if (ok) console.log(line);
  const failed = results.filter((r) => !r.ok).map((r) => r.line);
  if (failed.length > 0) throw new OpsError(failed.join('\n'));
});
