// npm run bench [-- --quick] [-- --out FILE]: measures the service on this machine (see
// ops/bench/run.ts), prints Markdown tables and writes the figures as JSON.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PROFILES } from './bench/profiles.ts';
import { renderReport } from './bench/report.ts';
import { runBenchmark } from './bench/run.ts';
import { runCli } from './lib/errors.ts';

await runCli(async () => {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      smoke: { type: 'boolean', default: false },
      out: { type: 'string' },
    },
  });
  const profile = values.smoke ? PROFILES.smoke : values.quick ? PROFILES.quick : PROFILES.full;
  const result = await runBenchmark(profile);
  const report = renderReport(result);
  console.log(`\n${report}`);
  const out =
    values.out ??
    path.join(
      '.local',
      'bench',
      `results-${profile.name}-${result.startedAt.replace(/[:.]/g, '-')}.json`,
    );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nFigures written to ${out}`);
});
