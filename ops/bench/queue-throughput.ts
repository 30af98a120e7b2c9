// node --import tsx ops/bench/queue-throughput.ts [--jobs=20000]
//
// How many jobs per second one BullMQ queue on one Redis takes and hands out: adds one by one
// with 64 in flight (as API requests do), then a worker (concurrency 512) completing empty jobs
// and removing them. One job is one batch, so ten events per job gives the events/s one queue
// carries. Uses the configured Redis (REDIS_URL / REDIS_SENTINELS) under a prefix of its own.
import { Queue, Worker } from 'bullmq';
import pMap from 'p-map';
import { loadConfig } from '../../src/config/env.ts';
import {
  apiRedisOptions,
  bullConnection,
  workerRedisOptions,
} from '../../src/queue/redis-connections.ts';

const jobs = Number(process.argv.find((a) => a.startsWith('--jobs='))?.split('=')[1] ?? 20_000);
const config = loadConfig();
const prefix = `pss_bench_tput_${Date.now()}`;
const queue = new Queue('events', {
  connection: bullConnection(config.redis, { ...apiRedisOptions(), enableOfflineQueue: true }),
  prefix,
});
const payload = { events: [], acceptedAt: 0 };
try {
  let started = performance.now();
  await pMap(
    Array.from({ length: jobs }, (_, i) => i),
    (i) => queue.add('batch', payload, { jobId: `j${i}`, removeOnComplete: true }),
    { concurrency: 64 },
  );
  const addSeconds = (performance.now() - started) / 1000;

  let done = 0;
  let finish: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  started = performance.now();
  const worker = new Worker(
    'events',
    () => {
      if (++done === jobs) finish();
      return Promise.resolve();
    },
    { connection: bullConnection(config.redis, workerRedisOptions()), prefix, concurrency: 512 },
  );
  await allDone;
  const processSeconds = (performance.now() - started) / 1000;
  await worker.close();

  const add = jobs / addSeconds;
  const processed = jobs / processSeconds;
  console.log(`jobs: ${jobs}`);
  console.log(
    `add:     ${add.toFixed(0)} jobs/s (${(add * 10).toFixed(0)} events/s at 10 per batch)`,
  );
  console.log(
    `process: ${processed.toFixed(0)} jobs/s (${(processed * 10).toFixed(0)} events/s at 10 per batch)`,
  );
} finally {
  await queue.obliterate({ force: true });
  await queue.close();
}
