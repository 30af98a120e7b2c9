import { tableOf } from '../domain/generations.ts';
import { toNumber } from './cql-numbers.ts';
import { readAll } from './read-all.ts';
import type { StatementRunner } from './request-limit.ts';
import type { PartitionWrite } from './partition-writes.ts';
import { writeTimestamp } from './write-version.ts';

/** The migrations' table of the hourly rows; generation n lives in `tableOf(this, n)`. */
export const COUNTRY_HOURLY_TABLE = 'start_counts_by_country';

/**
 * `start_counts_by_country`: read model 1, the starts of one country per UTC hour, one partition
 * per country. Written next to the hour node of the time tree, with that node's version. An odd
 * generation (a rebuild's) lives in the `_alt` twin.
 */
export class CountryHourly {
  private readonly insert: string;
  private readonly selectRange: string;
  private readonly selectVersions: string;
  private readonly table: string;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    keyspace: string,
    generation = 0,
  ) {
    const table = `${keyspace}.${tableOf(COUNTRY_HOURLY_TABLE, generation)}`;
    this.table = table;
    this.insert = `INSERT INTO ${table} (country, hour, starts) VALUES (?, ?, ?) USING TTL ? AND TIMESTAMP ?`;
    this.selectRange = `SELECT hour, starts FROM ${table} WHERE country = ? AND hour >= ? AND hour < ?`;
    this.selectVersions =
      `SELECT hour, starts, WRITETIME(starts) AS version FROM ${table} ` +
      'WHERE country = ? AND hour >= ? AND hour < ?';
  }

  hourWrite(
    country: string,
    hour: number,
    starts: number,
    version: number,
    ttlSeconds: number,
  ): PartitionWrite {
    return {
      query: this.insert,
      params: [country, new Date(hour), starts, ttlSeconds, writeTimestamp(version)],
      partition: `${this.table}:${country}`,
    };
  }

  /** The hours in [fromHour, toHour) with at least one start, oldest first. */
  async read(
    country: string,
    fromHour: number,
    toHour: number,
  ): Promise<{ hour: number; starts: number }[]> {
    const result = await this.client.execute(
      this.selectRange,
      [country, new Date(fromHour), new Date(toHour)],
      {
        prepare: true,
        fetchSize: 10_000,
      },
    );
    return result.rows
      .map((row) => ({
        hour: (row.get('hour') as Date).getTime(),
        starts: row.get('starts') as number,
      }))
      .filter((h) => h.starts > 0);
  }

  /** Every stored hour of [fromHour, toHour) with its version (what a rebuild's check reads). */
  async readVersions(
    country: string,
    fromHour: number,
    toHour: number,
  ): Promise<Map<number, { starts: number; version: number }>> {
    const params = [country, new Date(fromHour), new Date(toHour)];
    const hours = new Map<number, { starts: number; version: number }>();
    for (const row of await readAll(this.client, this.selectVersions, params))
      hours.set((row.get('hour') as Date).getTime(), {
        starts: row.get('starts') as number,
        version: toNumber(row.get('version')),
      });
    return hours;
  }
}
