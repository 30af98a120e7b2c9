import type { CountVector } from '../domain/count-vector.ts';
import type { StartFact } from '../domain/pairing.ts';
import type { CassandraClient } from './cassandra-client.ts';
import { IDEMPOTENT, toNumber, writeTimestamp } from './versioned-write.ts';
import { MINUTE_MS } from '../domain/duration.ts';

/**
 * `session_starts_by_bucket`: one row per start variant in the partition of its minute, with
 * `live` written at the session's start version. A one-second slice of a partition is recounted
 * into the lowest node of the time tree.
 */
export class StartFacts {
  private readonly insert: string;
  private readonly selectSecond: string;

  constructor(
    private readonly client: CassandraClient,
    keyspace: string,
  ) {
    this.insert =
      `INSERT INTO ${keyspace}.session_starts_by_bucket (minute, ts, session_id, country, player_id, live) ` +
      'VALUES (?, ?, ?, ?, ?, ?) USING TTL ? AND TIMESTAMP ?';
    this.selectSecond =
      `SELECT country, live, WRITETIME(live) AS version FROM ${keyspace}.session_starts_by_bucket ` +
      'WHERE minute = ? AND ts >= ? AND ts < ?';
  }

  async write(
    sessionId: string,
    fact: StartFact,
    version: number,
    ttlSeconds: number,
  ): Promise<void> {
    const v = fact.variant;
    await this.client.execute(
      this.insert,
      [
        new Date(Math.floor(v.ts / MINUTE_MS) * MINUTE_MS),
        new Date(v.ts),
        sessionId,
        v.country,
        v.playerId,
        fact.live,
        ttlSeconds,
        writeTimestamp(version),
      ],
      IDEMPOTENT,
    );
  }

  /**
   * The live starts per country of the second starting at `secondStart`, with every country that
   * has a fact there (zeros included), and the sum of the facts' versions: it grows with every
   * fact added and every liveness change, so a later recount never has a smaller one.
   */
  async recountSecond(secondStart: number): Promise<{ counts: CountVector; version: number }> {
    const minute = Math.floor(secondStart / MINUTE_MS) * MINUTE_MS;
    const result = await this.client.execute(
      this.selectSecond,
      [new Date(minute), new Date(secondStart), new Date(secondStart + 1000)],
      { prepare: true, fetchSize: 100_000 },
    );
    const counts: CountVector = new Map();
    let version = 0;
    for (const row of result.rows) {
      const country = row.get('country') as string;
      counts.set(country, (counts.get(country) ?? 0) + (row.get('live') === true ? 1 : 0));
      version += toNumber(row.get('version'));
    }
    return { counts, version };
  }
}
