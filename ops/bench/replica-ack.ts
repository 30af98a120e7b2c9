// node --import tsx ops/bench/replica-ack.ts [--rate=100] [--seconds=20] [--rounds=2]
//
// POST /v1/batches latency through Sentinel with and without REDIS_MIN_REPLICAS_ACK=1, back to
// back and alternating (the machine may be shared: alternating spreads its noise over both), on a
// local primary + replica + three sentinels. No worker runs: the figures are the API's alone.
import { freePort } from '../lib/free-port.ts';
import { LocalSentinelRedis } from '../lib/redis-sentinel-local.ts';
import { ServiceProcess } from '../lib/service-process.ts';
import { BenchClient } from './http-client.ts';
import { LiveTraffic } from './live-traffic.ts';
import { openLoop } from './open-loop.ts';
import { summarize } from './stats.ts';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const rate = arg('rate', 100);
const seconds = arg('seconds', 20);
const rounds = arg('rounds', 2);

const redis = await LocalSentinelRedis.start();
const rows: string[] = [];
try {
  for (let round = 0; round < rounds; round++) {
    for (const ack of [0, 1]) {
      const port = await freePort();
      const api = await ServiceProcess.start('web', {
        ...redis.env,
        PORT: String(port),
        REDIS_MIN_REPLICAS_ACK: String(ack),
        QUEUE_PREFIX: `pss_bench_ack_${round}_${ack}`,
      });
      const client = new BenchClient(`http://127.0.0.1:${port}`);
      const traffic = new LiveTraffic(round * 2 + ack + 1, 20_000, `ack-${round}-${ack}`);
      const send = async () =>
        (await client.post('/v1/batches', JSON.stringify(traffic.batch()))).status === 202;
      try {
        await openLoop({ ratePerSecond: rate, durationMs: 3000, send }); // warm-up, unmeasured
        const result = await openLoop({ ratePerSecond: rate, durationMs: seconds * 1000, send });
        const s = summarize(result.latencies);
        const row = `| ${round + 1} | ${ack} | ${rate} | ${s.count} | ${result.failed} | ${s.p50.toFixed(1)} | ${s.p90.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.max.toFixed(1)} |`;
        console.log(row);
        rows.push(row);
      } finally {
        await client.close();
        api.kill('SIGTERM');
        await api.exited;
      }
    }
  }
} finally {
  await redis.stop();
}
console.log(
  '\n| round | REDIS_MIN_REPLICAS_ACK | req/s | answered | failed | p50 ms | p90 ms | p99 ms | max ms |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const row of rows) console.log(row);
