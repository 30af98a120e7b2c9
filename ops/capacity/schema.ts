import { STORAGE_OVERHEAD_BYTES } from './measured.ts';

/**
 * The tables of the sharded design, as sizes: what one row stores (its clustering and regular
 * values) and what its partition key takes. Values by CQL type: timestamp 8 B, int 4 B, boolean
 * 1 B, text its length (ids as the public data set writes them: a session id is a dashed UUID of
 * 36 characters, a player id 32 hex digits). A count blob is 6 B per country it holds
 * (src/storage/count-vector-codec.ts). Cassandra's own overheads come from measured.ts.
 */

const TIMESTAMP = 8;
const INT = 4;
const BOOLEAN = 1;
const SESSION_ID = 36;
const PLAYER_ID = 32;
const COUNTRY = 2;
const COUNT_ENTRY = 6;
// `event` is 'start' (5) or 'end' (3); `country` is '' on ends: half the rows each.
const EVENT_AVERAGE = (5 + 3) / 2;
const FACT_COUNTRY_AVERAGE = (COUNTRY + 0) / 2;

export type TableName =
  | 'sessions_by_id'
  | 'completed_sessions_by_player'
  | 'start_facts_by_shard'
  | 'start_count_seconds'
  | 'start_count_rollups'
  | 'start_counts_by_country';

export interface TableSchema {
  readonly name: TableName;
  /** The partition key, as the tables print it. */
  readonly partitionKey: string;
  readonly keyBytes: number;
  /** Clustering and regular values of one row; `countries` is the entries of its count blob. */
  readonly valueBytes: (countries: number) => number;
  /** Clustering and regular cells of one row. */
  readonly cells: number;
}

export const SCHEMA: Readonly<Record<TableName, TableSchema>> = {
  sessions_by_id: {
    name: 'sessions_by_id',
    partitionKey: '(session_id)',
    keyBytes: SESSION_ID,
    valueBytes: () => EVENT_AVERAGE + TIMESTAMP + PLAYER_ID + FACT_COUNTRY_AVERAGE,
    cells: 4,
  },
  completed_sessions_by_player: {
    name: 'completed_sessions_by_player',
    partitionKey: '(player_id)',
    keyBytes: PLAYER_ID,
    valueBytes: () => TIMESTAMP + SESSION_ID + TIMESTAMP + COUNTRY,
    cells: 4,
  },
  start_facts_by_shard: {
    name: 'start_facts_by_shard',
    partitionKey: '(minute, shard)',
    keyBytes: TIMESTAMP + INT,
    valueBytes: () => TIMESTAMP + SESSION_ID + COUNTRY + PLAYER_ID + BOOLEAN,
    cells: 5,
  },
  start_count_seconds: {
    name: 'start_count_seconds',
    partitionKey: '(minute, shard)',
    keyBytes: TIMESTAMP + INT,
    valueBytes: (countries) => TIMESTAMP + COUNT_ENTRY * countries,
    cells: 2,
  },
  start_count_rollups: {
    name: 'start_count_rollups',
    partitionKey: '(level_group, block)',
    keyBytes: INT + TIMESTAMP,
    valueBytes: (countries) => INT + TIMESTAMP + COUNT_ENTRY * countries,
    cells: 3,
  },
  start_counts_by_country: {
    name: 'start_counts_by_country',
    partitionKey: '(country)',
    keyBytes: COUNTRY,
    valueBytes: () => TIMESTAMP + INT,
    cells: 2,
  },
};

/** Bytes one row takes on disk, uncompressed: its values, its cells' and its own overhead. */
export function rowBytes(table: TableSchema, countries = 0): number {
  return (
    table.valueBytes(countries) +
    table.cells * STORAGE_OVERHEAD_BYTES.cell +
    STORAGE_OVERHEAD_BYTES.row
  );
}

/** Bytes a partition takes besides its rows: its key, header and index entry. */
export function partitionBytes(table: TableSchema): number {
  return table.keyBytes + STORAGE_OVERHEAD_BYTES.partition;
}
