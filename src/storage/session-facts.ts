import type { SessionEvent } from '../domain/events.ts';
import type { Variant } from '../domain/pairing.ts';
import type { CassandraClient } from './cassandra-client.ts';
import { IDEMPOTENT } from './versioned-write.ts';

/**
 * `sessions_by_id`: every distinct variant of every event of a session. Writing a variant again
 * rewrites the same row, so recording is idempotent; reading the partition back gives the view the
 * pairing decisions are made from.
 */
export class SessionFacts {
  private readonly insert: string;
  private readonly select: string;

  constructor(
    private readonly client: CassandraClient,
    keyspace: string,
  ) {
    this.insert =
      `INSERT INTO ${keyspace}.sessions_by_id (session_id, event, ts, player_id, country) ` +
      'VALUES (?, ?, ?, ?, ?) USING TTL ?';
    this.select = `SELECT event, ts, player_id, country FROM ${keyspace}.sessions_by_id WHERE session_id = ?`;
  }

  async record(event: SessionEvent, ttlSeconds: number): Promise<void> {
    await this.client.execute(
      this.insert,
      [
        event.sessionId,
        event.kind,
        new Date(event.ts),
        event.playerId,
        event.country ?? '',
        ttlSeconds,
      ],
      IDEMPOTENT,
    );
  }

  async view(sessionId: string): Promise<Variant[]> {
    const result = await this.client.execute(this.select, [sessionId], { prepare: true });
    return result.rows.map((row) => ({
      kind: row.get('event') as 'start' | 'end',
      ts: (row.get('ts') as Date).getTime(),
      playerId: row.get('player_id') as string,
      country: row.get('country') as string,
    }));
  }
}
