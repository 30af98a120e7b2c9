// npm run rebuild -- completed-sessions|start-counts|all [--keyspace NAME] [--rows-per-second N]
// [--grace-seconds N] (in production: node dist/ops/rebuild.js …): derives a read model again from
// the facts into a new generation, online, verifies it, switches reads to it and drops the old one.
// Run it again after a crash or Ctrl-C: it goes on where it stopped. See README "Data lifecycle".
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../src/config/env.ts';
import {
  REBUILDABLE_VIEWS,
  ringFraction,
  type RebuildableView,
} from '../src/domain/generations.ts';
import { createCassandraClient } from '../src/storage/cassandra-client.ts';
import { schemaStatus } from '../src/storage/migrator.ts';
import { OpsError, UsageError, runCli } from './lib/errors.ts';
import { runRebuild } from './rebuild/compose-rebuild.ts';
import { VerificationError } from './rebuild/run-rebuild.ts';

const USAGE =
  'usage: npm run rebuild -- completed-sessions|start-counts|all [--keyspace NAME] ' +
  '[--rows-per-second N] [--grace-seconds N]';

await runCli(USAGE, async () => {
  const { values, positionals } = parseOptions();
  const view = positionals[0];
  if (positionals.length !== 1 || !view) throw new UsageError('name one read model', USAGE);
  const views: readonly RebuildableView[] =
    view === 'all' ? REBUILDABLE_VIEWS : REBUILDABLE_VIEWS.filter((v) => v === view);
  if (views.length === 0) throw new UsageError(`unknown read model ${view}`, USAGE);
  const config = loadConfig();
  const keyspace = values.keyspace ?? config.cassandra.keyspace;
  const client = createCassandraClient(config.cassandra);
  const bar = new cliProgress.SingleBar(
    {
      format: '{phase} {bar} {percentage}% | {rows} facts | {rate}/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const interrupt = new AbortController();
  let current: RebuildableView | undefined;
  process.once('SIGINT', () => interrupt.abort());
  try {
    const status = await schemaStatus(client, keyspace);
    if (!status.ok)
      throw new OpsError(
        `cannot rebuild: ${status.reason}`,
        status.cause === 'unreachable' ? 'Is Cassandra up?' : 'Which keyspace? (--keyspace)',
      );
    let phase = '';
    let started = performance.now();
    let startRows = 0;
    // One view after the other: each has its own generations and checkpoint.
    for (const each of views) {
      current = each;
      await runRebuild(config, client, each, {
        keyspace,
        rowsPerSecond:
          number('--rows-per-second', values['rows-per-second'], 1) ?? config.rebuild.rowsPerSecond,
        graceMs:
          (number('--grace-seconds', values['grace-seconds'], 0) ?? config.rebuild.graceSeconds) *
          1000,
        signal: interrupt.signal,
        log: (line) => {
          bar.stop();
          console.log(line);
        },
        onProgress: (p) => {
          if (p.phase !== phase) {
            bar.stop();
            [phase, started, startRows] = [p.phase, performance.now(), p.rows];
            bar.start(1000, 0, { phase: p.phase.padEnd(6), rows: '0', rate: '0' });
          }
          const seconds = Math.max(0.001, (performance.now() - started) / 1000);
          bar.update(Math.round(ringFraction(p.token) * 1000), {
            phase: p.phase.padEnd(6),
            rows: p.rows.toLocaleString('en-US'),
            rate: Math.round((p.rows - startRows) / seconds).toLocaleString('en-US'),
          });
        },
      });
      bar.stop();
      phase = '';
      console.log(`rebuilt ${each} of ${keyspace}`);
    }
  } catch (err) {
    bar.stop();
    if (interrupt.signal.aborted) {
      const left = current ? views.slice(views.indexOf(current)) : views;
      console.error(
        views.length === 1
          ? 'interrupted: run the same command again to go on where it stopped'
          : `interrupted: run ${left.map((v) => `npm run rebuild -- ${v}`).join(', then ')} to go on where it stopped`,
      );
      process.exitCode = 130;
      return;
    }
    if (err instanceof VerificationError)
      throw new OpsError(err.message, 'Reads were not switched; run it again to retry the check.');
    throw err;
  } finally {
    await client.shutdown();
  }
});

function parseOptions() {
  try {
    return parseArgs({
      options: {
        keyspace: { type: 'string' },
        'rows-per-second': { type: 'string' },
        'grace-seconds': { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), USAGE);
  }
}

function number(name: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min)
    throw new UsageError(`${name} must be an integer of at least ${min}`, USAGE);
  return Number(text);
}
