// npm run load -- FILE [--url URL] [--concurrency 16] [--rebase-to-now] [--wait]: posts a file of
// events (.jsonl, .ndjson, .jsonl.bz2) to POST /v1/batches; see ops/data/loader.ts.
import { parseArgs } from 'node:util';
import { waitForBatches, type WaitResult } from './data/batch-waiter.ts';
import { loadFile } from './data/loader.ts';
import { somethingLost, summaryLines } from './data/load-summary.ts';
import { LoadProgressBar } from './data/progress.ts';
import { DEFAULT_RETRY_POLICY } from './data/retry-policy.ts';
import { OpsError, runCli } from './lib/errors.ts';

const USAGE =
  'usage: npm run load -- FILE [--url http://localhost:3000] [--concurrency 16] [--batch-size 10] [--retries 8] [--rebase-to-now] [--wait]';

await runCli(async () => {
  const { values, positionals } = parseOptions();
  if (positionals.length !== 1) throw new OpsError('give exactly one FILE to load', USAGE);
  const file = positionals[0] ?? '';
  const url = baseUrl(values.url);
  const concurrency = integer('--concurrency', values.concurrency, 1, 1024);
  const batchSize = integer('--batch-size', values['batch-size'], 1, 1000);
  const retries = integer('--retries', values.retries, 0, 100);

  // First Ctrl-C: stop reading, see the batches in flight through, report. A second one kills.
  const interrupt = new AbortController();
  process.once('SIGINT', () => interrupt.abort());

  const bar = new LoadProgressBar();
  let result;
  try {
    result = await loadFile({
      file,
      url,
      concurrency,
      batchSize,
      rebaseToNow: values['rebase-to-now'],
      policy: { ...DEFAULT_RETRY_POLICY, retries },
      keepBatchIds: values.wait,
      signal: interrupt.signal,
      onProgress: (progress) => bar.update(progress),
    });
  } finally {
    bar.stop();
  }

  let waited: WaitResult | undefined;
  if (values.wait && !interrupt.signal.aborted) {
    console.error(`waiting for ${result.tally.batchIds.length.toLocaleString('en-US')} batches…`);
    waited = await waitForBatches(result.tally.batchIds, { url, concurrency });
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
        concurrency: { type: 'string', default: '16' },
        'batch-size': { type: 'string', default: '10' },
        retries: { type: 'string', default: String(DEFAULT_RETRY_POLICY.retries) },
        'rebase-to-now': { type: 'boolean', default: false },
        wait: { type: 'boolean', default: false },
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
