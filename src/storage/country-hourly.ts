import type { StatementRunner } from './request-limit.ts';
import type { PartitionWrite } from './partition-writes.ts';
import { writeTimestamp } from './write-version.ts';

/**
 * `start_counts_by_country`: read model 1, the starts of one country per UTC hour, one partition
 * per country. Written next to the hour node of the time tree, with that node's version.
 */
export class CountryHourly {
  private readonly insert: string;
  private readonly selectRange: string;
  private readonly table: string;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    keyspace: string,
  ) {
    const table = `${keyspace}.start_counts_by_country`;
    this.table = table;
    this.insert = `INSERT INTO ${table} (country, hour, starts) VALUES (?, ?, ?) USING TTL ? AND TIMESTAMP ?`;
    this.selectRange = `SELECT hour, starts FROM ${table} WHERE country = ? AND hour >= ? AND hour < ?`;
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
}
