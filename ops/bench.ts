// npm run bench [-- --quick] [-- --only cost] [-- --out FILE] [-- --nodes 3]: measures the service on this
// machine (see ops/bench/run.ts), prints Markdown tables and writes the figures as JSON.
// --only cost runs the cost-per-event phase alone, to re-measure it after a change; --only
// redis-memory measures what Redis holds per batch (done and waiting) and prints the sizing table;
// --only post-latency runs the POST latency phase alone (e.g. to compare settings back to back).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES } from './bench/profiles.ts';
import { renderCost, renderPost, renderRedisMemory, renderReport } from './bench/report.ts';
import { runBenchmark, runCostOnly, runPostLatencyOnly, runRedisMemoryOnly } from './bench/run.ts';
import { OpsError, runCli } from './lib/errors.ts';

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
      nodes: { type: 'string', default: '1' },
    },
  });
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9)
    throw new OpsError(`--nodes ${values.nodes}: a whole number of Cassandra nodes from 1 to 9.`);
  const profile = values.smoke ? PROFILES.smoke : values.quick ? PROFILES.quick : PROFILES.full;
  const only = values.only;
  if (only !== undefined && only !== 'cost' && only !== 'redis-memory' && only !== 'post-latency')
    throw new OpsError(
      `--only ${only}: the phases that run alone are cost, redis-memory and post-latency.`,
    );
  const { result, report } =
    only === 'cost'
      ? await runCostOnly(profile, { nodes }).then((r) => ({
          result: r,
          report: renderCost(r.cost),
        }))
      : only === 'post-latency'
        ? await runPostLatencyOnly(profile, { nodes }).then((r) => ({
            result: r,
            report: renderPost(r.post),
          }))
        : only === 'redis-memory'
          ? await runRedisMemoryOnly(profile, { nodes }).then((r) => ({
              result: r,
              report: renderRedisMemory(r.redisMemory),
            }))
          : await runBenchmark(profile, { nodes }).then((r) => ({
              result: r,
              report: renderReport(r),
            }));
  console.log(`\n${report}`);
  const out =
    values.out ??
    path.join(
      '.local',
      'bench',
      `results-${profile.name}${only ? `-${only}` : ''}${nodes > 1 ? `-${nodes}nodes` : ''}-${result.startedAt.replace(/[:.]/g, '-')}.json`,
    );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nFigures written to ${out}`);
});
