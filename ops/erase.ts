// npm run erase -- PLAYER_ID [--no-wait]: queues the erasure of a player (the job DELETE
// /v1/players/{id} queues) and waits until a worker has done it. See README "Data lifecycle".
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/env.ts';
import { identifier, invalidIdentifier, obeys } from '../src/domain/rules.ts';
import { createErasuresQueue, erasureStatus, requestErasure } from '../src/queue/erasures-queue.ts';
import { apiRedisOptions, createRedis } from '../src/queue/redis-connections.ts';
import { OpsError, UsageError, runCli } from './lib/errors.ts';

const USAGE = 'usage: npm run erase -- PLAYER_ID [--no-wait]';

await runCli(USAGE, async () => {
  const { values, positionals } = parseOptions();
  if (positionals.length !== 1) throw new UsageError('give exactly one PLAYER_ID', USAGE);
  const playerId = positionals[0] ?? '';
  if (!obeys(identifier('player_id'), playerId))
    throw new UsageError(invalidIdentifier('player_id'), USAGE);
  const config = loadConfig();
  const redis = createRedis(
    config.redis,
    { ...apiRedisOptions(), enableOfflineQueue: true },
    () => undefined,
  );
  const queue = createErasuresQueue(redis, config.queue);
  queue.on('error', () => undefined);
  try {
    const job = await requestErasure(
      queue,
      playerId,
      `cli:${os.userInfo().username}@${os.hostname()}`,
      new Date(),
    ).catch((err: unknown) => {
      throw new OpsError(`Redis at ${config.redis.url} did not take the erasure: ${String(err)}`);
    });
    const id = job.id ?? '';
    console.log(`erasure ${id} queued (player sha256 ${job.data.player_sha256})`);
    if (values['no-wait']) return;
    console.error('waiting for a worker to do it (Ctrl-C stops waiting; the erasure goes on)…');
    const interrupt = new AbortController();
    process.once('SIGINT', () => interrupt.abort());
    for (;;) {
      const status = await erasureStatus(queue, id);
      if (status?.state === 'done') {
        console.log(
          `erased: ${status.facts ?? 0} events in ${status.sessions ?? 0} sessions, ${status.completed_rows ?? 0} completed sessions`,
        );
        return;
      }
      if (status?.state === 'failed' || !status)
        throw new OpsError(`erasure ${id} failed; see the workers' log, and run it again`);
      if (interrupt.signal.aborted) {
        console.error(`stopped waiting; follow it with GET /v1/erasures/${id}`);
        return;
      }
      await sleep(500);
    }
  } finally {
    await queue.close();
    redis.disconnect();
  }
});

function parseOptions() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { 'no-wait': { type: 'boolean', default: false } },
      strict: true,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), USAGE);
  }
}
