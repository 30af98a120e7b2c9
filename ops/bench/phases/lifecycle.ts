import fs from 'node:fs';
import path from 'node:path';
import { openLoop } from '../open-loop.ts';
import { runOpsCommand } from '../ops-command.ts';
import { summarize, type LatencySummary } from '../stats.ts';
import { generatedFile } from '../generated-file.ts';
import type { BenchTarget } from '../target.ts';
import { readEndpoints } from './get-latency.ts';
import { sampleFile } from './stored-load.ts';

/** A second service on an empty keyspace, for the restore: started and stopped by the caller. */
export interface RestoreTarget {
  readonly url: string;
  readonly apiKey: string;
  readonly get: (path: string) => Promise<{ status: number; body: string }>;
}

export interface LifecycleFigures {
  readonly events: number;
  /** `npm run load -- FILE --bulk --rebase-to-now --wait`: from start to every job processed. */
  readonly bulkSeconds: number;
  readonly getBefore: LatencySummary;
  /** `npm run rebuild -- VIEW` of each view in turn, with GETs at `getRate` all along. */
  readonly rebuilds: readonly RebuildFigures[];
  readonly getRate: number;
  readonly exportSeconds: number;
  readonly exportBytes: number;
  /** `npm run load -- EXPORT --bulk --wait` into an empty keyspace. */
  readonly restoreSeconds: number;
  /** Views compared between the source and the restored copy, and how many differed. */
  readonly compared: number;
  readonly differing: number;
}

export interface RebuildFigures {
  readonly view: string;
  readonly seconds: number;
  readonly gets: LatencySummary & { readonly failed: number };
}

/** The views a lifecycle run rebuilds, in turn (`--rebuild` narrows it). */
export const REBUILT_VIEWS = ['completed-sessions', 'start-counts'] as const;

const SEED = 20161101;

/**
 * The data lifecycle with a million events stored (issue 26), each step run as its user runs
 * it — the ops command, in its own process, timed from start to exit: the bulk import (issue
 * 23's figure too), GET latency before and during a rebuild of each view, the export
 * to .bz2 and its restore into an empty keyspace, whose views are compared with the source's.
 */
export async function lifecycle(
  target: BenchTarget,
  options: {
    events: number;
    days: number;
    cacheDir: string;
    getRate: number;
    views?: readonly string[];
    graceSeconds: number;
    /** How long GETs are measured before the first rebuild. */
    getBeforeMs: number;
    restore: () => Promise<RestoreTarget>;
  },
): Promise<LifecycleFigures> {
  const file = await generatedFile({ ...options, seed: SEED }, target.say);
  const { players, topCountry } = await sampleFile(file, 200);
  const key = target.client.apiKey ?? '';
  const url = target.client.url;
  const log = path.join(options.cacheDir, 'lifecycle.log');
  fs.writeFileSync(log, '');

  target.say(`  bulk import of ${options.events.toLocaleString('en-US')} events`);
  const bulkSeconds = await timed(log, 'ops/load.ts', [
    file,
    '--bulk',
    '--rebase-to-now',
    '--wait',
    '--url',
    url,
    '--api-key',
    key,
  ]);

  const endpoints = readEndpoints(players, topCountry);
  const send = async (i: number) => {
    const endpoint = endpoints[i % endpoints.length];
    return (
      (await target.client.get(endpoint?.paths(Math.floor(i / endpoints.length)) ?? '/health'))
        .status === 200
    );
  };
  target.say(`  GET latency before the rebuild (${options.getRate} req/s, mixed)`);
  const before = await openLoop({
    ratePerSecond: options.getRate,
    durationMs: options.getBeforeMs,
    send,
  });

  const rebuilds: RebuildFigures[] = [];
  for (const view of options.views ?? REBUILT_VIEWS) {
    target.say(`  rebuild of ${view} with the same GETs running`);
    rebuilds.push(
      await rebuildUnderReads(log, view, { ...options, keyspace: target.keyspace }, send),
    );
  }

  const exported = path.join(options.cacheDir, `export-${options.events}.jsonl.bz2`);
  fs.rmSync(exported, { force: true });
  target.say(`  export to ${exported}`);
  const exportSeconds = await timed(log, 'ops/export.ts', [
    '--out',
    exported,
    '--keyspace',
    target.keyspace,
  ]);

  const restored = await options.restore();
  target.say('  restore into an empty keyspace');
  const restoreSeconds = await timed(log, 'ops/load.ts', [
    exported,
    '--bulk',
    '--wait',
    '--url',
    restored.url,
    '--api-key',
    restored.apiKey,
  ]);

  const paths = [
    ...[1, 24, 168, 720, 8760].map((h) => `/v1/countries/starts?hours=${h}`),
    ...players.map((p) => `/v1/players/${encodeURIComponent(p)}/sessions`),
  ];
  const same = async (p: string) => {
    const [a, b] = await Promise.all([target.client.get(p), restored.get(p)]);
    return a.status === 200 && a.body === b.body;
  };
  let differing = 0;
  // A window ends now: two reads either side of a minute's turn may differ once, not twice.
  for (const p of paths) if (!(await same(p)) && !(await same(p))) differing++;
  return {
    events: options.events,
    bulkSeconds,
    getBefore: summarize(before.latencies),
    rebuilds,
    getRate: options.getRate,
    exportSeconds,
    exportBytes: fs.statSync(exported).size,
    restoreSeconds,
    compared: paths.length,
    differing,
  };
}

/** One view's rebuild, timed to its exit, with GETs sent at `rate` until then. */
async function rebuildUnderReads(
  log: string,
  view: string,
  options: { keyspace: string; getRate: number; graceSeconds: number },
  send: (i: number) => Promise<boolean>,
): Promise<RebuildFigures> {
  const grace = String(options.graceSeconds);
  const args = [view, '--keyspace', options.keyspace, '--grace-seconds', grace];
  const rebuilding = timed(log, 'ops/rebuild.ts', args);
  const state = { running: true };
  void rebuilding.finally(() => (state.running = false)).catch(() => undefined);
  const during: number[] = [];
  let failed = 0;
  while (state.running) {
    const window = await openLoop({ ratePerSecond: options.getRate, durationMs: 5_000, send });
    during.push(...window.latencies);
    failed += window.failed;
  }
  return { view, seconds: await rebuilding, gets: { ...summarize(during), failed } };
}

/** An ops command's wall time in seconds (ops-command.ts). */
async function timed(log: string, script: string, args: string[]): Promise<number> {
  return (await runOpsCommand(log, script, args)).seconds;
}
