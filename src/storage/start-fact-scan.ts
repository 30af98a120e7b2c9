import cassandra from 'cassandra-driver';
import { FIRST_TOKEN, LAST_TOKEN_PLUS, scanFinished, type FactScanOptions } from './fact-scan.ts';
import type { StatementRunner } from './request-limit.ts';

/** A partition of `start_facts_by_shard`: the starts of one minute in one shard. */
export interface StartFactPartition {
  readonly minute: number;
  readonly shard: number;
}

/** A page of the start facts, as the partitions it touches, and where a resumed scan starts. */
export interface StartFactPage {
  /** The partitions the page's rows belong to (each once); the first and last may be cut. */
  readonly partitions: readonly StartFactPartition[];
  /** Rows read in the page. */
  readonly rows: number;
  /** Every partition whose token is below this one was read whole (see fact-scan.ts). */
  readonly resumeToken: string;
}

const DEFAULT_PAGE_ROWS = 2000;

/**
 * Every partition of `start_facts_by_shard`, in token order, one page of rows at a time, paced:
 * what a rebuild of read model 1 reads (ops/rebuild/). Its consumers read each partition again
 * whole, so a page that cuts one, or a resumed scan that reads the last one twice, changes nothing.
 * The same paging, pacing and resume token as the facts' scan (src/storage/fact-scan.ts).
 */
export async function* scanStartFacts(
  client: Pick<StatementRunner, 'execute'>,
  keyspace: string,
  options: FactScanOptions = {},
): AsyncGenerator<StartFactPage> {
  const query =
    'SELECT token(minute, shard) AS t, minute, shard ' +
    `FROM ${keyspace}.start_facts_by_shard WHERE token(minute, shard) >= ?`;
  if (scanFinished(options.fromToken)) return;
  const sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  const from = cassandra.types.Long.fromString(options.fromToken ?? FIRST_TOKEN);
  let pageState: string | undefined;
  let rows = 0;
  const started = performance.now();
  do {
    options.signal?.throwIfAborted();
    const result = await client.execute(query, [from], {
      prepare: true,
      fetchSize: options.pageRows ?? DEFAULT_PAGE_ROWS,
      ...(pageState === undefined ? {} : { pageState }),
    });
    const next: unknown = result.pageState; // typed as a string, null after the last page
    pageState = typeof next === 'string' ? next : undefined;
    const partitions = new Map<string, StartFactPartition>();
    for (const row of result.rows) {
      const minute = (row.get('minute') as Date).getTime();
      const shard = row.get('shard') as number;
      partitions.set(`${minute}:${shard}`, { minute, shard });
    }
    const last = result.rows.at(-1);
    const resumeToken =
      pageState === undefined || !last
        ? LAST_TOKEN_PLUS
        : (last.get('t') as cassandra.types.Long).toString();
    rows += result.rows.length;
    yield { partitions: [...partitions.values()], rows: result.rows.length, resumeToken };
    if (options.rowsPerSecond) {
      const due = (rows / options.rowsPerSecond) * 1000 - (performance.now() - started);
      if (due > 0) await sleep(due);
    }
  } while (pageState !== undefined);
}
