// npm run bench [-- --quick] [-- --only cost] [-- --out FILE] [-- --nodes 3]: measures the service on this
// machine (see ops/bench/run.ts), prints Markdown tables and writes the figures as JSON.
// --only cost runs the cost-per-event phase alone, to re-measure it after a change; --only
// redis-memory measures what Redis holds per batch (done and waiting) and prints the sizing table;
// --only post-latency runs the POST latency phase alone (e.g. to compare settings back to back);
// --only historical the history-through-the-API phase; --only backlog the cost by backlog;
// --only ingest the ingest ladder and the freshness at half its sustained rate; --only bulk the
// bulk import of the stored data's events on a warmed-up node, with every process's CPU; --only
// reads-under-ingest GET latency while live events are ingested; --only lifecycle
// the bulk import, a rebuild of each view under GETs (--rebuild VIEW,... narrows them), export and
// restore with the stored data's events.
// --soak [MINUTES] (default 30): live ingest and reads for that long, sampled every 10 s, drawn
// into docs/images/soak.svg (--chart FILE), with the pass/fail checks of a soak (ops/bench/soak/).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES } from './bench/profiles.ts';
import { renderBacklog, renderCost } from './bench/cost-report.ts';
import { renderRedisMemory } from './bench/redis-memory-report.ts';
import { renderHistorical, renderIngest, renderPost, renderReport } from './bench/report.ts';
import {
  runBacklogOnly,
  runBenchmark,
  runBulkOnly,
  runCostOnly,
  runHistoricalOnly,
  runIngestOnly,
  runLifecycleOnly,
  runPostLatencyOnly,
  runReadsUnderIngestOnly,
  runRedisMemoryOnly,
} from './bench/run.ts';
import type { BenchProfile } from './bench/profiles.ts';
import { OpsError, runCli } from './lib/errors.ts';
import { runSoak } from './bench/soak/main.ts';
import { renderLifecycle } from './bench/lifecycle-report.ts';
import { renderBulk } from './bench/bulk-report.ts';
import { renderUnderIngest } from './bench/under-ingest-report.ts';
import { REBUILT_VIEWS } from './bench/phases/lifecycle.ts';

/** The phases that run alone (`--only NAME`), each with the table it prints. */
const ALONE: Record<
  string,
  (
    profile: BenchProfile,
    nodes: number,
    views: readonly string[] | undefined,
  ) => Promise<{ result: { startedAt: string }; report: string }>
> = {
  cost: async (profile, nodes) => {
    const r = await runCostOnly(profile, { nodes });
    return { result: r, report: renderCost(r.cost) };
  },
  'post-latency': async (profile, nodes) => {
    const r = await runPostLatencyOnly(profile, { nodes });
    return { result: r, report: renderPost(r.post) };
  },
  'redis-memory': async (profile, nodes) => {
    const r = await runRedisMemoryOnly(profile, { nodes });
    return { result: r, report: renderRedisMemory(r.redisMemory) };
  },
  historical: async (profile, nodes) => {
    const r = await runHistoricalOnly(profile, { nodes });
    return { result: r, report: renderHistorical(r.historical) };
  },
  ingest: async (profile, nodes) => {
    const r = await runIngestOnly(profile, { nodes });
    return { result: r, report: renderIngest(r.ingest) };
  },
  lifecycle: async (profile, nodes, views) => {
    const r = await runLifecycleOnly(profile, { nodes }, views);
    return { result: r, report: renderLifecycle(r.lifecycle) };
  },
  bulk: async (profile, nodes) => {
    const r = await runBulkOnly(profile, { nodes });
    return { result: r, report: renderBulk(r.bulk) };
  },
  'reads-under-ingest': async (profile, nodes) => {
    const r = await runReadsUnderIngestOnly(profile, { nodes });
    return { result: r, report: renderUnderIngest(r.underIngest) };
  },
  backlog: async (profile, nodes) => {
    const r = await runBacklogOnly(profile, { nodes });
    return { result: r, report: renderBacklog(r.backlog) };
  },
};

const USAGE = [
  'usage: npm run bench -- [--quick | --smoke] [--only PHASE] [--out FILE] [--nodes N]',
  `       npm run bench -- --only lifecycle [--rebuild ${REBUILT_VIEWS.join(',')}]`,
  '       npm run bench -- --soak [MINUTES] [--chart FILE]',
  `Measures the service on this machine and writes the figures as JSON; PHASE is one of ${Object.keys(ALONE).join(', ')}.`,
  '--soak runs live ingest and reads for MINUTES (default 30), sampled every 10 s, and prints its checks.',
].join('\n');

await runCli(USAGE, async () => {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      soak: { type: 'boolean', default: false },
      chart: { type: 'string', default: path.join('docs', 'images', 'soak.svg') },
      quick: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
      nodes: { type: 'string', default: '1' },
      rebuild: { type: 'string' },
    },
  });
  if (values.soak) {
    const minutes = Number(positionals[0] ?? 30);
    if (!(minutes > 0)) throw new OpsError(`--soak ${positionals[0]}: minutes, more than 0.`);
    if (!(await runSoak(minutes, values.chart))) process.exitCode = 1;
    return;
  }
  const nodes = Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9)
    throw new OpsError(`--nodes ${values.nodes}: a whole number of Cassandra nodes from 1 to 9.`);
  const profile = values.smoke ? PROFILES.smoke : values.quick ? PROFILES.quick : PROFILES.full;
  const only = values.only;
  const alone = only === undefined ? undefined : ALONE[only];
  if (only !== undefined && !alone)
    throw new OpsError(
      `--only ${only}: the phases that run alone are ${Object.keys(ALONE).join(', ')}.`,
    );
  const { result, report } = alone
    ? await alone(profile, nodes, rebuiltViews(values.rebuild))
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

/** `--rebuild a,b`: the views the lifecycle phase rebuilds (default all of them). */
function rebuiltViews(list: string | undefined): readonly string[] | undefined {
  if (list === undefined) return undefined;
  const views = list.split(',').filter(Boolean);
  const unknown = views.filter((v) => !(REBUILT_VIEWS as readonly string[]).includes(v));
  if (views.length === 0 || unknown.length > 0)
    throw new OpsError(`--rebuild ${list}: a comma-separated list of ${REBUILT_VIEWS.join(', ')}.`);
  return views;
}
