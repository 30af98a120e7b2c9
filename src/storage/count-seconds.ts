import pMap from 'p-map';
import { addInto, type CountVector } from '../domain/count-vector.ts';
import { MINUTE_MS, SECOND_MS, floorTo } from '../domain/duration.ts';
import { tableOf } from '../domain/generations.ts';
import type { StatementRunner } from './request-limit.ts';
import { decodeCountsInto, encodeCounts } from './count-vector-codec.ts';
import type { PartitionWrite } from './partition-writes.ts';
import { readAll } from './read-all.ts';
import { writeTimestamp } from './write-version.ts';
import { toNumber } from './cql-numbers.ts';

/** Partitions one read of seconds asks for (`minute IN … AND shard IN …`): one request, many partitions. */
export const SECOND_PARTITIONS_PER_READ = 64;

/** The migrations' table of the seconds; generation n lives in `tableOf(this, n)`. */
export const COUNT_SECONDS_TABLE = 'start_count_seconds';

/**
 * `start_count_seconds`: the lowest level of the time tree, one node per second and shard, written
 * with its version — the sum of its facts' versions — as write timestamp. A minute node is the sum
 * of its seconds over every shard. An odd generation (a rebuild's) lives in the `_alt` twin.
 */
export class CountSeconds {
  private readonly insert: string;
  private readonly selectMinutes: string;
  private readonly selectShard: string;
  private readonly table: string;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    keyspace: string,
    generation = 0,
  ) {
    const table = `${keyspace}.${tableOf(COUNT_SECONDS_TABLE, generation)}`;
    this.table = table;
    this.insert =
      `INSERT INTO ${table} (minute, shard, second, counts) VALUES (?, ?, ?, ?) ` +
      'USING TTL ? AND TIMESTAMP ?';
    this.selectMinutes =
      `SELECT minute, counts, WRITETIME(counts) AS version FROM ${table} ` +
      'WHERE minute IN ? AND shard IN ?';
    this.selectShard =
      `SELECT second, counts, WRITETIME(counts) AS version FROM ${table} ` +
      'WHERE minute IN ? AND shard = ?';
  }

  secondWrite(
    shard: number,
    second: number,
    counts: ReadonlyMap<string, number>,
    version: number,
    ttlSeconds: number,
  ): PartitionWrite {
    const minute = floorTo(second, MINUTE_MS);
    return {
      query: this.insert,
      params: [
        new Date(minute),
        shard,
        new Date(second),
        encodeCounts(counts),
        ttlSeconds,
        writeTimestamp(version),
      ],
      partition: `${this.table}:${minute}:${shard}`,
    };
  }

  /**
   * The sum of the seconds (their counts and versions) of each given minute over the given shards:
   * the children of those minute nodes. Minutes × shards partitions, up to
   * SECOND_PARTITIONS_PER_READ in one request.
   */
  async minuteSums(
    minutes: readonly number[],
    shards: readonly number[],
    concurrency: number,
  ): Promise<Map<number, { counts: CountVector; version: number }>> {
    const sums = new Map<number, { counts: CountVector; version: number }>(
      minutes.map((minute) => [minute, { counts: new Map(), version: 0 }]),
    );
    const perRead = Math.max(1, Math.floor(SECOND_PARTITIONS_PER_READ / shards.length));
    const reads: number[][] = [];
    for (let i = 0; i < minutes.length; i += perRead) reads.push(minutes.slice(i, i + perRead));
    await pMap(
      reads,
      async (group) => {
        const params = [group.map((m) => new Date(m)), [...shards]];
        for (const row of await readAll(this.client, this.selectMinutes, params)) {
          const sum = sums.get((row.get('minute') as Date).getTime());
          if (!sum) continue;
          addInto(sum.counts, decodeCountsInto(row.get('counts') as Buffer));
          sum.version += toNumber(row.get('version'));
        }
      },
      { concurrency },
    );
    return sums;
  }

  /** The stored seconds of whole minutes of one shard (what a rebuild's verification reads). */
  async secondsOf(
    shard: number,
    minutes: readonly number[],
  ): Promise<Map<number, { counts: CountVector; version: number }>> {
    const params = [minutes.map((m) => new Date(m)), shard];
    const seconds = new Map<number, { counts: CountVector; version: number }>();
    for (const row of await readAll(this.client, this.selectShard, params))
      seconds.set(floorTo((row.get('second') as Date).getTime(), SECOND_MS), {
        counts: decodeCountsInto(row.get('counts') as Buffer),
        version: toNumber(row.get('version')),
      });
    return seconds;
  }
}
