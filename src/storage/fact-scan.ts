import cassandra from 'cassandra-driver';
import type { Variant } from '../domain/pairing.ts';
import type { StatementRunner } from './request-limit.ts';

/** The first token of the Murmur3 ring (Cassandra's default partitioner): a scan from here reads everything. */
export const FIRST_TOKEN = '-9223372036854775808';

/** One stored fact of `sessions_by_id`: a variant of one half of a session. */
export interface StoredFact extends Variant {
  readonly sessionId: string;
}

/** A page of facts, and where a scan resumed later must start so that it misses nothing. */
export interface FactPage {
  readonly facts: readonly StoredFact[];
  /**
   * Every partition whose token is below this one was read whole. The last partition of the page
   * may go on in the next page, so a resumed scan reads it again (each consumer is idempotent).
   */
  readonly resumeToken: string;
}

export interface FactScanOptions {
  /** Where to start (a page's resumeToken); FIRST_TOKEN by default. */
  readonly fromToken?: string;
  /** Rows per page (one request each). */
  readonly pageRows?: number;
  /** Pace: at most this many rows a second on average, so that live traffic keeps its latency. */
  readonly rowsPerSecond?: number;
  readonly signal?: AbortSignal;
  /** For pacing; real time by default. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_PAGE_ROWS = 2000;

/**
 * Every fact of `sessions_by_id`, in token order, one page of rows at a time: the one full read of
 * the facts, shared by the export and by the erasure (which has no index by player). It follows
 * Cassandra's own paging of one range query, so memory stays at one page; the pace bounds what it
 * adds to the cluster's load; and a page's resume token lets a crashed scan go on where it stopped.
 */
export async function* scanFacts(
  client: Pick<StatementRunner, 'execute'>,
  keyspace: string,
  options: FactScanOptions = {},
): AsyncGenerator<FactPage> {
  const query =
    'SELECT token(session_id) AS t, session_id, event, ts, player_id, country ' +
    `FROM ${keyspace}.sessions_by_id WHERE token(session_id) >= ?`;
  for await (const page of scanByToken(client, query, options)) {
    const facts = page.rows.map((row): StoredFact => ({
      sessionId: row.get('session_id') as string,
      kind: row.get('event') as 'start' | 'end',
      ts: (row.get('ts') as Date).getTime(),
      playerId: row.get('player_id') as string,
      country: row.get('country') as string,
    }));
    yield { facts, resumeToken: page.resumeToken };
  }
}

/** One page of a token-ordered scan: its rows, and where a resumed scan starts. */
export interface TokenPage {
  readonly rows: readonly cassandra.types.Row[];
  readonly resumeToken: string;
}

/**
 * The paging, pacing and resume tokens of every full scan of a table (the facts here, the start
 * facts in start-fact-scan.ts): `query` selects the partition token as `t` and takes the first
 * token to read as its one parameter.
 */
export async function* scanByToken(
  client: Pick<StatementRunner, 'execute'>,
  query: string,
  options: FactScanOptions,
): AsyncGenerator<TokenPage> {
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
    const last = result.rows.at(-1);
    const resumeToken =
      pageState === undefined || !last
        ? LAST_TOKEN_PLUS
        : (last.get('t') as cassandra.types.Long).toString();
    rows += result.rows.length;
    yield { rows: result.rows, resumeToken };
    if (options.rowsPerSecond) {
      const due = (rows / options.rowsPerSecond) * 1000 - (performance.now() - started);
      if (due > 0) await sleep(due);
    }
  } while (pageState !== undefined);
}

/** A resume token past the whole ring: a scan resumed from it reads nothing. */
export const LAST_TOKEN_PLUS = 'done';

/** Whether a resume token says the scan finished. */
export function scanFinished(resumeToken: string | undefined): boolean {
  return resumeToken === LAST_TOKEN_PLUS;
}
