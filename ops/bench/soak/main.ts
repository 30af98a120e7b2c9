import fs from 'node:fs';
import path from 'node:path';
import { withHarness } from '../harness.ts';
import { soakChecks } from './checks.ts';
import { soakSvg } from './chart.ts';
import { toCsv } from './sample.ts';
import { soak, SOAK_DEFAULTS } from './run.ts';

/**
 * `npm run bench -- --soak [MINUTES]`: the soak (./run.ts) against the API and a worker run as the
 * Procfile runs them; writes its samples as JSON and CSV under .local/bench, draws them into
 * `chart` (docs/images/soak.svg by default), prints the checks; resolves to whether all passed.
 */
export async function runSoak(minutes: number, chart: string): Promise<boolean> {
  return withHarness({ keyspace: 'pss_soak', queuePrefix: 'pss_soak' }, async (harness) => {
    const startedAt = new Date().toISOString();
    const options = { ...SOAK_DEFAULTS, minutes };
    harness.target.say(
      `\n== soak: ${options.eventsPerSecond} events/s and ${options.getsPerSecond} GET/s for ${minutes} min, sampled every ${options.sampleSeconds} s`,
    );
    const samples = await soak(harness, options);
    const checks = soakChecks(samples);
    const base = path.join('.local', 'bench', `soak-${startedAt.replace(/[:.]/g, '-')}`);
    fs.mkdirSync(path.dirname(base), { recursive: true });
    fs.writeFileSync(
      `${base}.json`,
      `${JSON.stringify({ startedAt, options, samples, checks }, null, 2)}\n`,
    );
    fs.writeFileSync(`${base}.csv`, toCsv(samples));
    fs.mkdirSync(path.dirname(chart), { recursive: true });
    fs.writeFileSync(
      chart,
      soakSvg(
        samples,
        `Soak, ${minutes} min from ${startedAt}: ${options.eventsPerSecond} events/s + ${options.getsPerSecond} GET/s`,
      ),
    );
    console.log(`\nSamples: ${base}.json, ${base}.csv; chart: ${chart}\n`);
    for (const c of checks) console.log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`);
    return checks.every((c) => c.pass);
  });
}
