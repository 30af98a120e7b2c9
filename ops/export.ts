// npm run export -- --out FILE.jsonl[.bz2] [--rows-per-second N]: writes every fact of
// CASSANDRA_KEYSPACE within the retention in the loader's format; `npm run load -- FILE --bulk`
// restores it into an empty keyspace. See ops/data/fact-export.ts and README "Data lifecycle".
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../src/config/env.ts';
import { createCassandraClient } from '../src/storage/cassandra-client.ts';
import { schemaStatus } from '../src/storage/migrator.ts';
import { exportFacts } from './data/fact-export.ts';
import { OpsError, UsageError, runCli } from './lib/errors.ts';

const USAGE =
  'usage: npm run export -- --out FILE.jsonl[.bz2] [--keyspace NAME] [--rows-per-second N]';

await runCli(USAGE, async () => {
  const values = parseOptions();
  const out = values.out;
  if (!out) throw new UsageError('give the file to write with --out', USAGE);
  if (!/\.(jsonl|ndjson)(\.bz2)?$/.test(out))
    throw new UsageError(
      `--out ${out}: the file must end in .jsonl, .ndjson or .bz2 of one`,
      USAGE,
    );
  const rowsPerSecond =
    values['rows-per-second'] === undefined
      ? undefined
      : positive('--rows-per-second', values['rows-per-second']);
  const config = loadConfig();
  const keyspace = values.keyspace ?? config.cassandra.keyspace;
  const client = createCassandraClient(config.cassandra);
  const bar = new cliProgress.SingleBar(
    {
      format: 'exporting {bar} {percentage}% | {facts} facts | {rate}/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  try {
    const status = await schemaStatus(client, keyspace);
    if (!status.ok)
      throw new OpsError(
        `cannot export: ${status.reason}`,
        status.cause === 'unreachable' ? 'Is Cassandra up?' : 'Which keyspace? (--keyspace)',
      );
    const interrupt = new AbortController();
    process.once('SIGINT', () => interrupt.abort());
    const started = performance.now();
    bar.start(1000, 0, { facts: '0', rate: '0' });
    const result = await exportFacts({
      client,
      keyspace,
      out,
      retentionMs: config.events.retentionSeconds * 1000,
      now: Date.now,
      signal: interrupt.signal,
      ...(rowsPerSecond ? { rowsPerSecond } : {}),
      onProgress: ({ facts, fraction }) => {
        const seconds = Math.max(0.001, (performance.now() - started) / 1000);
        bar.update(Math.round(fraction * 1000), {
          facts: facts.toLocaleString('en-US'),
          rate: Math.round(facts / seconds).toLocaleString('en-US'),
        });
      },
    });
    bar.stop();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (result.interrupted) {
      console.error(`interrupted: nothing written (${out} was not created)`);
      process.exitCode = 130;
      return;
    }
    console.log(
      `exported ${result.facts.toLocaleString('en-US')} facts of ${keyspace} to ${out} in ${seconds} s` +
        (result.skipped ? ` (${result.skipped} just past the retention left out)` : ''),
    );
  } finally {
    bar.stop();
    await client.shutdown();
  }
});

function parseOptions() {
  try {
    return parseArgs({
      options: {
        out: { type: 'string' },
        keyspace: { type: 'string' },
        'rows-per-second': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), USAGE);
  }
}

function positive(name: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1)
    throw new UsageError(`${name} must be a positive integer`, USAGE);
  return Number(text);
}
