import type cassandra from 'cassandra-driver';
import type { StatementRunner } from './request-limit.ts';

/** Rows per page of the write side's reads: large, since every row read is needed. */
const PAGE_ROWS = 5000;

/**
 * Every row a query selects, following Cassandra's pages: a read that stopped at the first page
 * would count a busy second, or a session with many variants, short — silently.
 */
export async function readAll(
  client: Pick<StatementRunner, 'execute'>,
  query: string,
  params: readonly unknown[],
): Promise<cassandra.types.Row[]> {
  const rows: cassandra.types.Row[] = [];
  let pageState: string | undefined;
  do {
    const result = await client.execute(query, [...params], {
      prepare: true,
      fetchSize: PAGE_ROWS,
      ...(pageState === undefined ? {} : { pageState }),
    });
    rows.push(...result.rows);
    // Typed as a string, but null after the last page.
    const next: unknown = result.pageState;
    pageState = typeof next === 'string' ? next : undefined;
  } while (pageState !== undefined);
  return rows;
}
