import pMap from 'p-map';
import type { SessionEvent } from '../domain/events.ts';
import type { Variant } from '../domain/pairing.ts';
import type { StatementRunner } from './request-limit.ts';
import type { PartitionWrite } from './partition-writes.ts';
import { readAll } from './read-all.ts';

/**
 * Sessions one read asks for (`session_id IN …`). One request costs Cassandra several times what
 * one more partition in it costs, so the views of a micro-batch are read a hundred at a time.
 */
export const SESSIONS_PER_READ = 100;

/**
 * `sessions_by_id`: every distinct variant of every event of a session. Writing a variant again
 * rewrites the same row, so recording is idempotent; reading the partition back gives the view the
 * pairing decisions are made from.
 */
export class SessionFacts {
  private readonly insert: string;
  private readonly select: string;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    private readonly keyspace: string,
  ) {
    this.insert =
      `INSERT INTO ${keyspace}.sessions_by_id (session_id, event, ts, player_id, country) ` +
      'VALUES (?, ?, ?, ?, ?) USING TTL ?';
    this.select =
      `SELECT session_id, event, ts, player_id, country FROM ${keyspace}.sessions_by_id ` +
      'WHERE session_id IN ?';
  }

  recordWrite(event: SessionEvent, ttlSeconds: number): PartitionWrite {
    return {
      query: this.insert,
      params: [
        event.sessionId,
        event.kind,
        new Date(event.ts),
        event.playerId,
        event.country ?? '',
        ttlSeconds,
      ],
      partition: `${this.keyspace}.sessions_by_id:${event.sessionId}`,
    };
  }

  /** The view of each given session (an empty one for a session without facts). */
  async views(sessionIds: readonly string[], concurrency: number): Promise<Map<string, Variant[]>> {
    const views = new Map<string, Variant[]>(sessionIds.map((id) => [id, []]));
    const chunks: string[][] = [];
    for (let i = 0; i < sessionIds.length; i += SESSIONS_PER_READ)
      chunks.push(sessionIds.slice(i, i + SESSIONS_PER_READ));
    await pMap(
      chunks,
      async (ids) => {
        for (const row of await readAll(this.client, this.select, [ids])) {
          views.get(row.get('session_id') as string)?.push({
            kind: row.get('event') as 'start' | 'end',
            ts: (row.get('ts') as Date).getTime(),
            playerId: row.get('player_id') as string,
            country: row.get('country') as string,
          });
        }
      },
      { concurrency },
    );
    return views;
  }
}
