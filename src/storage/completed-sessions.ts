import { tableOf, type Generations } from '../domain/generations.ts';
import type { CompletedSession } from '../domain/pairing.ts';
import type { StatementRunner } from './request-limit.ts';
import type { PartitionWrite } from './partition-writes.ts';
import { writeTimestamp } from './write-version.ts';

/** The migrations' table of read model 2; generation n lives in `tableOf(this, n)`. */
export const COMPLETED_SESSIONS_TABLE = 'completed_sessions_by_player';

/**
 * `completed_sessions_by_player` (or, for an odd generation, its `_alt` twin): read model 2, a
 * player's completed sessions newest end first. Upserts and retractions carry the session's view
 * version as write timestamp (see pairing.ts).
 */
export class CompletedSessions {
  private readonly upsertCql: string;
  private readonly deleteCql: string;
  private readonly selectLatest: string;
  private readonly selectOne: string;
  private readonly table: string;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    keyspace: string,
    generation = 0,
  ) {
    const table = `${keyspace}.${tableOf(COMPLETED_SESSIONS_TABLE, generation)}`;
    this.table = table;
    this.upsertCql =
      `INSERT INTO ${table} (player_id, end_ts, session_id, start_ts, country) VALUES (?, ?, ?, ?, ?) ` +
      'USING TTL ? AND TIMESTAMP ?';
    this.deleteCql = `DELETE FROM ${table} USING TIMESTAMP ? WHERE player_id = ? AND end_ts = ? AND session_id = ?`;
    this.selectLatest = `SELECT session_id, start_ts, end_ts, country FROM ${table} WHERE player_id = ? LIMIT ?`;
    this.selectOne = `SELECT start_ts, country FROM ${table} WHERE player_id = ? AND end_ts = ? AND session_id = ?`;
  }

  /** One row by its key (what a rebuild's verification reads), or undefined. */
  async row(
    playerId: string,
    endTs: number,
    sessionId: string,
  ): Promise<{ startTs: number; country: string } | undefined> {
    const result = await this.client.execute(
      this.selectOne,
      [playerId, new Date(endTs), sessionId],
      { prepare: true },
    );
    const row = result.rows[0];
    return row
      ? { startTs: (row.get('start_ts') as Date).getTime(), country: row.get('country') as string }
      : undefined;
  }

  upsertWrite(session: CompletedSession, version: number, ttlSeconds: number): PartitionWrite {
    return {
      query: this.upsertCql,
      params: [
        session.playerId,
        new Date(session.endTs),
        session.sessionId,
        new Date(session.startTs),
        session.country,
        ttlSeconds,
        writeTimestamp(version),
      ],
      partition: `${this.table}:${session.playerId}`,
    };
  }

  retractWrite(
    playerId: string,
    endTs: number,
    sessionId: string,
    version: number,
  ): PartitionWrite {
    return {
      query: this.deleteCql,
      params: [writeTimestamp(version), playerId, new Date(endTs), sessionId],
      partition: `${this.table}:${playerId}`,
    };
  }

  async latest(playerId: string, limit: number): Promise<CompletedSession[]> {
    const result = await this.client.execute(this.selectLatest, [playerId, limit], {
      prepare: true,
    });
    return result.rows.map((row) => ({
      playerId,
      sessionId: row.get('session_id') as string,
      startTs: (row.get('start_ts') as Date).getTime(),
      endTs: (row.get('end_ts') as Date).getTime(),
      country: row.get('country') as string,
    }));
  }
}

/** The CQL that makes a generation's table: the same columns, key and order as migration 0001's. */
export function completedSessionsTableCql(keyspace: string, generation: number): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${keyspace}.${tableOf(COMPLETED_SESSIONS_TABLE, generation)} (` +
    'player_id text, end_ts timestamp, session_id text, start_ts timestamp, country text, ' +
    'PRIMARY KEY ((player_id), end_ts, session_id)) ' +
    'WITH CLUSTERING ORDER BY (end_ts DESC, session_id ASC)'
  );
}

/**
 * Read model 2 in whichever generations the keyspace says (src/storage/view-generations.ts):
 * reads from the read generation, writes to every write generation — two only while a rebuild
 * runs, so the write path's cost is unchanged otherwise.
 */
export class CompletedSessionGenerations {
  private readonly byGeneration = new Map<number, CompletedSessions>();

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    private readonly keyspace: string,
    private readonly generations: () => Promise<Generations>,
  ) {}

  of(generation: number): CompletedSessions {
    let table = this.byGeneration.get(generation);
    if (!table)
      this.byGeneration.set(
        generation,
        (table = new CompletedSessions(this.client, this.keyspace, generation)),
      );
    return table;
  }

  /** One repository per generation a write must reach now. */
  async writers(): Promise<CompletedSessions[]> {
    return (await this.generations()).write.map((g) => this.of(g));
  }

  async latest(playerId: string, limit: number): Promise<CompletedSession[]> {
    return this.of((await this.generations()).read).latest(playerId, limit);
  }
}
