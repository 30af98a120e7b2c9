import type { CompletedSession } from '../domain/pairing.ts';
import type { StatementRunner } from './request-limit.ts';
import type { PartitionWrite } from './partition-writes.ts';
import { writeTimestamp } from './write-version.ts';

/**
 * `completed_sessions_by_player`: read model 2, a player's completed sessions newest end first.
 * Upserts and retractions carry the session's view version as write timestamp (see pairing.ts).
 */
export class CompletedSessions {
  private readonly upsertCql: string;
  private readonly deleteCql: string;
  private readonly selectLatest: string;
  private readonly table: string;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    keyspace: string,
  ) {
    const table = `${keyspace}.completed_sessions_by_player`;
    this.table = table;
    this.upsertCql =
      `INSERT INTO ${table} (player_id, end_ts, session_id, start_ts, country) VALUES (?, ?, ?, ?, ?) ` +
      'USING TTL ? AND TIMESTAMP ?';
    this.deleteCql = `DELETE FROM ${table} USING TIMESTAMP ? WHERE player_id = ? AND end_ts = ? AND session_id = ?`;
    this.selectLatest = `SELECT session_id, start_ts, end_ts, country FROM ${table} WHERE player_id = ? LIMIT ?`;
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
