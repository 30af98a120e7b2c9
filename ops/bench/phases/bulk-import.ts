import fs from 'node:fs';
import path from 'node:path';
import { openCostWindow, type CostProbes, type WindowCost } from '../cost-window.ts';
import { generatedFile } from '../generated-file.ts';
import type { WarmUp } from '../jit-warm-up.ts';
import { runOpsCommand } from '../ops-command.ts';
import { drained, type BenchTarget } from '../target.ts';
import { warmedUp } from './cost.ts';

/** The lifecycle phase's file: the same events, so the two phases' figures compare. */
const SEED = 20161101;
/** The warm-up's import: other events, a tenth as many (at most 100,000). */
const WARM_UP_SEED = SEED + 1;
const WARM_UP_SHARE = 10;

export interface BulkImportFigures extends WindowCost {
  /** `npm run load -- FILE --bulk --rebase-to-now --wait`, from start to every job processed. */
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** The loader's own CPU (reading, planning, rebasing and posting the file), not in the sum. */
  readonly loaderCpuMsPerEvent: number | null;
  readonly warmUp: WarmUp;
  /** Events of the unmeasured bulk import after the live warm-up. */
  readonly warmUpEvents: number;
}

/**
 * The bulk import alone, measured as the cost phase measures live traffic (issue 23's ≤ 120 s for
 * 1M events), on a node that has run a while, as in production, not one that compiles its write
 * path during the import: live traffic first until Cassandra's JIT compilers are quiet, then an
 * unmeasured bulk import of a tenth as many other events — live traffic leaves the bulk path's
 * large batches still to compile (measured: 13 s of 130 without it, 0.3 s of 112 with it). Then
 * the file through the user's command, inside a window that reads every process's CPU and the
 * node's threads and statements.
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
  const warmUpEvents = Math.max(1, Math.min(100_000, Math.round(options.events / WARM_UP_SHARE)));
  const warmUpFile = await generatedFile(
    { ...options, events: warmUpEvents, seed: WARM_UP_SEED },
    target.say,
  );
  const { warmUp } = await warmedUp(target, options.warmUp, probes);
  const log = path.join(options.cacheDir, 'bulk-import.log');
  fs.writeFileSync(log, '');
  const key = target.client.apiKey ?? '';
  const load = (events: number, source: string, ticksPerSecond?: number) => {
    target.say(`  bulk import of ${events.toLocaleString('en-US')} events`);
    const args = ['--bulk', '--rebase-to-now', '--wait', '--url', target.client.url];
    return runOpsCommand(log, 'ops/load.ts', [source, ...args, '--api-key', key], ticksPerSecond);
  };
  await load(warmUpEvents, warmUpFile);
  await drained(target);

  const window = await openCostWindow(target, probes);
  const run = await load(options.events, file, options.ticksPerSecond);
  const measured = await window.close(options.events);
  return {
    ...measured,
    seconds: run.seconds,
    eventsPerSecond: options.events / run.seconds,
    loaderCpuMsPerEvent: run.cpuMs === null ? null : run.cpuMs / options.events,
    warmUp,
    warmUpEvents,
  };
}
