import { scanByToken, type FactScanOptions } from './fact-scan.ts';
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
  for await (const page of scanByToken(client, query, options)) {
    const partitions = new Map<string, StartFactPartition>();
    for (const row of page.rows) {
      const minute = (row.get('minute') as Date).getTime();
      const shard = row.get('shard') as number;
      partitions.set(`${minute}:${shard}`, { minute, shard });
    }
    yield {
      partitions: [...partitions.values()],
      rows: page.rows.length,
      resumeToken: page.resumeToken,
    };
  }
}
