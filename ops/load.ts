// npm run load -- FILE [--url URL] [--concurrency 16] [--rebase-to-now] [--wait]: posts a file of
// events (.jsonl, .ndjson, .jsonl.bz2) to POST /v1/batches; see ops/data/loader.ts. With --bulk,
// in batches of whole sessions to POST /v1/batches/bulk; see ops/data/bulk-loader.ts.
import { parseArgs } from 'node:util';
import { waitForBatches, type WaitResult } from './data/batch-waiter.ts';
import { loadFileInBulk } from './data/bulk-loader.ts';
import { loadFile, type LoadResult } from './data/loader.ts';
import { somethingLost, summaryLines } from './data/load-summary.ts';
import { LoadProgressBar } from './data/progress.ts';
import type { LoadProgress } from './data/loader.ts';
import { DEFAULT_RETRY_POLICY } from './data/retry-policy.ts';
import { loadClientSettings } from './lib/client-settings.ts';
import { OpsError, runCli } from './lib/errors.ts';

const USAGE = [
  'usage: npm run load -- FILE [--url http://localhost:3000] [--concurrency 16] [--batch-size 10] [--retries 8] [--rebase-to-now] [--wait] [--api-key KEY]',
  '       npm run load -- FILE --bulk [--events-per-batch 5000] [--concurrency 4] [--resume-from N] [--offset-seconds S] [--url, --retries, --rebase-to-now, --wait]',
].join('\n');

await runCli(USAGE, async () => {
  const { values, positionals } = parseOptions();
  if (positionals.length !== 1) throw new OpsError('give exactly one FILE to load', USAGE);
  const file = positionals[0] ?? '';
  const url = baseUrl(values.url);
  const bulk = values.bulk;
  const apiKey = values['api-key'] ?? loadClientSettings().apiKey;
  const concurrency = integer('--concurrency', values.concurrency ?? (bulk ? '4' : '16'), 1, 1024);
  const retries = integer('--retries', values.retries, 0, 100);
  if (!bulk) {
    for (const flag of ['events-per-batch', 'resume-from', 'offset-seconds'] as const)
      if (values[flag] !== undefined) throw new OpsError(`--${flag} needs --bulk`, USAGE);
  } else if (values['batch-size'] !== undefined) {
    throw new OpsError('--bulk takes --events-per-batch, not --batch-size', USAGE);
  }
  if (values['offset-seconds'] !== undefined && values['rebase-to-now'])
    throw new OpsError('give --rebase-to-now or --offset-seconds, not both', USAGE);

  // First Ctrl-C: stop reading, see the batches in flight through, report. A second one kills.
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());

  const bar = new LoadProgressBar();
  const common = {
    file,
    url,
    apiKey,
    concurrency,
    rebaseToNow: values['rebase-to-now'],
    policy: { ...DEFAULT_RETRY_POLICY, retries },
    keepBatchIds: values.wait,
    signal: interrupt.signal,
    onProgress: (progress: LoadProgress) => bar.update(progress),
  };
  let result: LoadResult;
  try {
    result = bulk
      ? await loadFileInBulk({
          ...common,
          eventsPerBatch: integer(
            '--events-per-batch',
            values['events-per-batch'] ?? '5000',
            1,
            100_000,
          ),
          resumeFrom: integer('--resume-from', values['resume-from'] ?? '0', 0, 2 ** 31),
          ...(values['offset-seconds'] === undefined
            ? {}
            : { offsetMs: signedInteger('--offset-seconds', values['offset-seconds']) * 1000 }),
        })
      : await loadFile({
          ...common,
          batchSize: integer('--batch-size', values['batch-size'] ?? '10', 1, 1000),
        });
  } finally {
    bar.stop();
  }

  let waited: WaitResult | undefined;
  if (values.wait && !interrupt.signal.aborted) {
    console.error(`waiting for ${result.tally.batchIds.length.toLocaleString('en-US')} batches…`);
    waited = await waitForBatches(result.tally.batchIds, { url, concurrency, apiKey });
  }
  for (const line of summaryLines(file, url, result, waited)) console.log(line);
  if (somethingLost(result, waited)) process.exitCode = result.interrupted ? 130 : 1;
});

function parseOptions() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        url: { type: 'string', default: 'http://localhost:3000' },
        concurrency: { type: 'string' },
        'batch-size': { type: 'string' },
        bulk: { type: 'boolean', default: false },
        'events-per-batch': { type: 'string' },
        'resume-from': { type: 'string' },
        'offset-seconds': { type: 'string' },
        retries: { type: 'string', default: String(DEFAULT_RETRY_POLICY.retries) },
        'rebase-to-now': { type: 'boolean', default: false },
        wait: { type: 'boolean', default: false },
        'api-key': { type: 'string' },
      },
      strict: true,
    });
  } catch (err) {
    throw new OpsError(err instanceof Error ? err.message : String(err), USAGE);
  }
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new OpsError(`${name} must be an integer from ${min} to ${max}`, USAGE);
  }
  return value;
}

function signedInteger(name: string, text: string): number {
  if (!/^-?\d+$/.test(text)) throw new OpsError(`${name} must be an integer`, USAGE);
  return Number(text);
}

function baseUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new OpsError(`--url ${text} is not a URL`, USAGE);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OpsError(`--url must be http or https, not ${url.protocol}`, USAGE);
  }
  return url.href;
}
