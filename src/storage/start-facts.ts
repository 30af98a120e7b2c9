import type { CountVector } from '../domain/count-vector.ts';
import { SECOND_MS, MINUTE_MS, floorTo } from '../domain/duration.ts';
import type { StartFact } from '../domain/pairing.ts';
import type { StatementRunner } from './request-limit.ts';
import type { PartitionWrite } from './partition-writes.ts';
import { readAll } from './read-all.ts';
import { writeTimestamp } from './write-version.ts';
import { toNumber } from './cql-numbers.ts';

/** A second's recount: its live starts per country, and the sum of its facts' versions. */
export interface SecondCount {
  readonly counts: CountVector;
  readonly version: number;
}

/**
 * `start_facts_by_shard`: one row per start variant in the partition of its minute and its shard
 * (src/domain/shard.ts), with `live` written at the session's start version. A shard's seconds are
 * recounted from slices of its minute partitions, or from whole ones.
 */
export class StartFacts {
  private readonly insert: string;
  private readonly selectSlice: string;
  private readonly selectMinutes: string;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    private readonly keyspace: string,
  ) {
    const table = `${keyspace}.start_facts_by_shard`;
    this.insert =
      `INSERT INTO ${table} (minute, shard, ts, session_id, country, player_id, live) ` +
      'VALUES (?, ?, ?, ?, ?, ?, ?) USING TTL ? AND TIMESTAMP ?';
    const columns = 'SELECT ts, country, live, WRITETIME(live) AS version';
    this.selectSlice = `${columns} FROM ${table} WHERE minute = ? AND shard = ? AND ts >= ? AND ts < ?`;
    this.selectMinutes = `${columns} FROM ${table} WHERE minute IN ? AND shard = ?`;
  }

  startWrite(
    shard: number,
    sessionId: string,
    fact: StartFact,
    version: number,
    ttlSeconds: number,
  ): PartitionWrite {
    const v = fact.variant;
    const minute = floorTo(v.ts, MINUTE_MS);
    return {
      query: this.insert,
      params: [
        new Date(minute),
        shard,
        new Date(v.ts),
        sessionId,
        v.country,
        v.playerId,
        fact.live,
        ttlSeconds,
        writeTimestamp(version),
      ],
      partition: `${this.keyspace}.start_facts_by_shard:${minute}:${shard}`,
    };
  }

  /**
   * The seconds of [from, to) (inside one minute) that hold facts of the shard, each with every
   * country that has a fact there (zeros included) and the sum of the facts' versions: it grows
   * with every fact added and every liveness change, so a later recount never has a smaller one.
   */
  async recountSlice(shard: number, from: number, to: number): Promise<Map<number, SecondCount>> {
    const minute = floorTo(from, MINUTE_MS);
    const params = [new Date(minute), shard, new Date(from), new Date(to)];
    return bySecond(await readAll(this.client, this.selectSlice, params));
  }

  /** The same, for every second of the given whole minutes of the shard. */
  async recountMinutes(
    shard: number,
    minutes: readonly number[],
  ): Promise<Map<number, SecondCount>> {
    const params = [minutes.map((m) => new Date(m)), shard];
    return bySecond(await readAll(this.client, this.selectMinutes, params));
  }
}

function bySecond(rows: Awaited<ReturnType<typeof readAll>>): Map<number, SecondCount> {
  const seconds = new Map<number, { counts: CountVector; version: number }>();
  for (const row of rows) {
    const second = floorTo((row.get('ts') as Date).getTime(), SECOND_MS);
    let entry = seconds.get(second);
    if (!entry) seconds.set(second, (entry = { counts: new Map(), version: 0 }));
    const country = row.get('country') as string;
    entry.counts.set(
      country,
      (entry.counts.get(country) ?? 0) + (row.get('live') === true ? 1 : 0),
    );
    entry.version += toNumber(row.get('version'));
  }
  return seconds;
}
