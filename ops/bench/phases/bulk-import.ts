import fs from 'node:fs';
import path from 'node:path';
import { openCostWindow, type CostProbes, type WindowCost } from '../cost-window.ts';
import { generatedFile } from '../generated-file.ts';
import type { WarmUp } from '../jit-warm-up.ts';
import { runOpsCommand } from '../ops-command.ts';
import type { BenchTarget } from '../target.ts';
import { warmedUp } from './cost.ts';

/** The lifecycle phase's file: the same events, so the two phases' figures compare. */
const SEED = 20161101;

export interface BulkImportFigures extends WindowCost {
  /** `npm run load -- FILE --bulk --rebase-to-now --wait`, from start to every job processed. */
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** The loader's own CPU (reading, planning, rebasing and posting the file), not in the sum. */
  readonly loaderCpuMsPerEvent: number | null;
  readonly warmUp: WarmUp;
}

/**
 * The bulk import alone, measured as the cost phase measures live traffic (issue 23's ≤ 120 s for
 * 1M events): live traffic first until Cassandra's JIT compilers are quiet — a node that has
 * run a while, as in production, not one that compiles its write path during the import — then
 * the generated file through the user's command, inside a window that reads every process's
 * CPU and the node's threads and statements.
 */
export async function bulkImport(
  target: BenchTarget,
  options: {
    events: number;
    days: number;
    cacheDir: string;
    warmUp: { ratePerSecond: number; warmupMs: number; maxWarmupMs: number };
    ticksPerSecond: number;
  },
  probes: CostProbes,
): Promise<BulkImportFigures> {
  const file = await generatedFile({ ...options, seed: SEED }, target.say);
  const { warmUp } = await warmedUp(target, options.warmUp, probes);
  const log = path.join(options.cacheDir, 'bulk-import.log');
  fs.writeFileSync(log, '');

  const window = await openCostWindow(target, probes);
  target.say(`  bulk import of ${options.events.toLocaleString('en-US')} events`);
  const key = target.client.apiKey ?? '';
  const run = await runOpsCommand(
    log,
    'ops/load.ts',
    [file, '--bulk', '--rebase-to-now', '--wait', '--url', target.client.url, '--api-key', key],
    options.ticksPerSecond,
  );
  const measured = await window.close(options.events);
  return {
    ...measured,
    seconds: run.seconds,
    eventsPerSecond: options.events / run.seconds,
    loaderCpuMsPerEvent: run.cpuMs === null ? null : run.cpuMs / options.events,
    warmUp,
  };
}
