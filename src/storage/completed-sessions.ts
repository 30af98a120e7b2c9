import type { CompletedSession } from '../domain/pairing.ts';
import type { CassandraClient } from './cassandra-client.ts';
import { IDEMPOTENT, writeTimestamp } from './versioned-write.ts';

/**
 * `completed_sessions_by_player`: read model 2, a player's completed sessions newest end first.
 * Upserts and retractions carry the session's view version as write timestamp (see pairing.ts).
 */
export class CompletedSessions {
  private readonly upsertCql: string;
  private readonly deleteCql: string;
  private readonly selectLatest: string;

  constructor(
    private readonly client: CassandraClient,
    keyspace: string,
  ) {
    const table = `${keyspace}.completed_sessions_by_player`;
    this.upsertCql =
      `INSERT INTO ${table} (player_id, end_ts, session_id, start_ts, country) VALUES (?, ?, ?, ?, ?) ` +
      'USING TTL ? AND TIMESTAMP ?';
    this.deleteCql = `DELETE FROM ${table} USING TIMESTAMP ? WHERE player_id = ? AND end_ts = ? AND session_id = ?`;
    this.selectLatest = `SELECT session_id, start_ts, end_ts, country FROM ${table} WHERE player_id = ? LIMIT ?`;
  }

  async upsert(session: CompletedSession, version: number, ttlSeconds: number): Promise<void> {
    await this.client.execute(
      this.upsertCql,
      [
        session.playerId,
        new Date(session.endTs),
        session.sessionId,
        new Date(session.startTs),
        session.country,
        ttlSeconds,
        writeTimestamp(version),
      ],
      IDEMPOTENT,
    );
  }

  async retract(
    playerId: string,
    endTs: number,
    sessionId: string,
    version: number,
  ): Promise<void> {
    await this.client.execute(
      this.deleteCql,
      [writeTimestamp(version), playerId, new Date(endTs), sessionId],
      IDEMPOTENT,
    );
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
