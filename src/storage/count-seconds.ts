import pMap from 'p-map';
import { addInto, type CountVector } from '../domain/count-vector.ts';
import { MINUTE_MS, floorTo } from '../domain/duration.ts';
import type { StatementRunner } from './request-limit.ts';
import { decodeCountsInto, encodeCounts } from './count-vector-codec.ts';
import type { PartitionWrite } from './partition-writes.ts';
import { readAll } from './read-all.ts';
import { writeTimestamp } from './write-version.ts';
import { toNumber } from './cql-numbers.ts';

/** Partitions one read of seconds asks for (`minute IN … AND shard IN …`): one request, many partitions. */
export const SECOND_PARTITIONS_PER_READ = 64;

/**
 * `start_count_seconds`: the lowest level of the time tree, one node per second and shard, written
 * with its version — the sum of its facts' versions — as write timestamp. A minute node is the sum
 * of its seconds over every shard.
 */
export class CountSeconds {
  private readonly insert: string;
  private readonly selectMinutes: string;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    private readonly keyspace: string,
  ) {
    const table = `${keyspace}.start_count_seconds`;
    this.insert =
      `INSERT INTO ${table} (minute, shard, second, counts) VALUES (?, ?, ?, ?) ` +
      'USING TTL ? AND TIMESTAMP ?';
    this.selectMinutes =
      `SELECT minute, counts, WRITETIME(counts) AS version FROM ${table} ` +
      'WHERE minute IN ? AND shard IN ?';
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
      partition: `${this.keyspace}.start_count_seconds:${minute}:${shard}`,
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
}
