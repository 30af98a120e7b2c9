// npm run bench [-- --quick] [-- --only cost] [-- --out FILE]: measures the service on this
// machine (see ops/bench/run.ts), prints Markdown tables and writes the figures as JSON.
// --only cost (or post-latency) runs that phase alone, to re-measure it after a change.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES } from './bench/profiles.ts';
import { renderCost, renderPost, renderReport } from './bench/report.ts';
import { runBenchmark, runCostOnly, runPostLatencyOnly } from './bench/run.ts';
import { OpsError, runCli } from './lib/errors.ts';

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      out: { type: 'string' },
      only: { type: 'string' },
    },
  });
  const profile = values.smoke ? PROFILES.smoke : values.quick ? PROFILES.quick : PROFILES.full;
  if (values.only !== undefined && values.only !== 'cost' && values.only !== 'post-latency')
    throw new OpsError(
      `--only ${values.only}: the phases that run alone are cost and post-latency.`,
    );
  const only = values.only !== undefined;
  const { result, report } =
    values.only === 'cost'
      ? await runCostOnly(profile).then((r) => ({ result: r, report: renderCost(r.cost) }))
      : values.only === 'post-latency'
        ? await runPostLatencyOnly(profile).then((r) => ({ result: r, report: renderPost(r.post) }))
        : await runBenchmark(profile).then((r) => ({ result: r, report: renderReport(r) }));
  console.log(`\n${report}`);
  const out =
    values.out ??
    path.join(
      '.local',
      'bench',
      `results-${profile.name}${only ? `-${values.only}` : ''}-${result.startedAt.replace(/[:.]/g, '-')}.json`,
    );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nFigures written to ${out}`);
});
