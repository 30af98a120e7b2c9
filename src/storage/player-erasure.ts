import { MINUTE_MS, SECOND_MS, floorTo } from '../domain/duration.ts';
import type { Variant } from '../domain/pairing.ts';
import { tableOf } from '../domain/generations.ts';
import { shardOf } from '../domain/shard.ts';
import { COMPLETED_SESSIONS_TABLE } from './completed-sessions.ts';
import type { StatementRunner } from './request-limit.ts';
import { readAll } from './read-all.ts';
import { toNumber } from './cql-numbers.ts';
import { writeTimestamp } from './write-version.ts';

/** The seconds of each shard whose start facts an erasure changed, each with its countries. */
export type ErasedSeconds = Map<number, Map<number, Set<string>>>;

/**
 * The session id of an erasure's marker rows in `start_facts_by_shard`. Their player id is empty,
 * which no client's can be (src/domain/rules.ts), so they never meet a real fact; `live` is false
 * on them, so they count for no country: they only carry a version (see `eraseSessions`).
 */
export function markerSessionId(erasureId: string): string {
  return `~erasure:${erasureId}`;
}

/**
 * The removal of one player's rows, table by table (docs/DATA-MODEL.md, "Erasing a player"). It
 * deletes only the player's own variants, so a session shared with another player's events keeps
 * that player's.
 */
export class PlayerErasure {
  private readonly q: Record<
    | 'startFact'
    | 'deleteStartFact'
    | 'marker'
    | 'deleteLegacyStart'
    | 'deleteFact'
    | 'completedRows'
    | 'deleteCompleted',
    string
  >;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    keyspace: string,
    /** The keyspace's number of start shards (src/storage/keyspace-settings.ts). */
    private readonly startShards: () => Promise<number>,
  ) {
    const facts = `${keyspace}.start_facts_by_shard`;
    const key =
      'minute = ? AND shard = ? AND ts = ? AND session_id = ? AND country = ? AND player_id = ?';
    const completed = `${keyspace}.${COMPLETED_SESSIONS_TABLE}`;
    this.q = {
      startFact: `SELECT WRITETIME(live) AS version, TTL(live) AS ttl FROM ${facts} WHERE ${key}`,
      deleteStartFact: `DELETE FROM ${facts} USING TIMESTAMP ? WHERE ${key}`,
      marker:
        `INSERT INTO ${facts} (minute, shard, ts, session_id, country, player_id, live) ` +
        "VALUES (?, ?, ?, ?, ?, '', false) USING TTL ? AND TIMESTAMP ?",
      deleteLegacyStart:
        `DELETE FROM ${keyspace}.session_starts_by_bucket ` +
        'WHERE minute = ? AND ts = ? AND session_id = ? AND country = ? AND player_id = ?',
      deleteFact:
        `DELETE FROM ${keyspace}.sessions_by_id ` +
        'WHERE session_id = ? AND event = ? AND ts = ? AND player_id = ? AND country = ?',
      completedRows:
        'SELECT end_ts, session_id, WRITETIME(start_ts) AS version ' +
        `FROM ${completed} WHERE player_id = ?`,
      deleteCompleted: `DELETE FROM ${completed} USING TIMESTAMP ? WHERE player_id = ? AND end_ts = ? AND session_id = ?`,
    };
    this.keyspace = keyspace;
  }

  private readonly keyspace: string;

  /** The completed-sessions statements for one generation's table (src/domain/generations.ts). */
  private completedQueries(generation: number): { rows: string; delete: string } {
    const table = `${this.keyspace}.${tableOf(COMPLETED_SESSIONS_TABLE, generation)}`;
    return {
      rows: this.q.completedRows.replace(`${this.keyspace}.${COMPLETED_SESSIONS_TABLE}`, table),
      delete: this.q.deleteCompleted.replace(`${this.keyspace}.${COMPLETED_SESSIONS_TABLE}`, table),
    };
  }

  /**
   * Removes the player's variants of the given sessions from the facts: `sessions_by_id`, the
   * start facts and their pre-shard copies. Returns the seconds whose counts must be recounted.
   *
   * A second's count is written at the sum of its facts' versions, which only grows — an erasure
   * would make it shrink, and the recount would lose to the count it must replace. So before the
   * player's start facts go, one marker row per (second, country) takes their place: `live` false
   * (it counts nothing), written at the sum of their versions plus their number. A recount of the
   * second then has a strictly larger version than any before it. Written first, so that a retry
   * after a crash finds the facts again and writes the same marker (or a smaller one, which loses).
   */
  async eraseSessions(
    erasureId: string,
    playerId: string,
    views: ReadonlyMap<string, readonly Variant[]>,
  ): Promise<{ facts: number; seconds: ErasedSeconds }> {
    const seconds: ErasedSeconds = new Map();
    const markers = new Map<
      string,
      { shard: number; second: number; country: string; sum: number; n: number; ttl: number }
    >();
    const startFacts: { key: unknown[]; version: number }[] = [];
    let facts = 0;
    const shards = await this.startShards();
    for (const [sessionId, variants] of views) {
      const shard = shardOf(sessionId, shards);
      for (const v of variants) {
        if (v.playerId !== playerId) continue;
        facts++;
        if (v.kind !== 'start') continue;
        const key = [
          new Date(floorTo(v.ts, MINUTE_MS)),
          shard,
          new Date(v.ts),
          sessionId,
          v.country,
          playerId,
        ];
        const [row] = (await this.client.execute(this.q.startFact, key, { prepare: true })).rows;
        if (!row) continue;
        const version = toNumber(row.get('version'));
        const ttl = Number(row.get('ttl') ?? 0);
        startFacts.push({ key, version });
        const second = floorTo(v.ts, SECOND_MS);
        const id = `${shard}|${second}|${v.country}`;
        const m = markers.get(id) ?? { shard, second, country: v.country, sum: 0, n: 0, ttl: 0 };
        m.sum += version;
        m.n += 1;
        m.ttl = Math.max(m.ttl, ttl);
        markers.set(id, m);
        let bySecond = seconds.get(shard);
        if (!bySecond) seconds.set(shard, (bySecond = new Map<number, Set<string>>()));
        const countries = bySecond.get(second) ?? new Set<string>();
        bySecond.set(second, countries.add(v.country));
      }
    }
    for (const m of markers.values()) {
      if (m.ttl <= 0) continue;
      await this.run(this.q.marker, [
        new Date(floorTo(m.second, MINUTE_MS)),
        m.shard,
        new Date(m.second),
        markerSessionId(erasureId),
        m.country,
        m.ttl,
        writeTimestamp(m.sum + m.n),
      ]);
    }
    // At the fact's own version: on a tie Cassandra's deletion wins, and a later write of the
    // same fact at a larger version (the session's view grew) wins over it, as it should.
    for (const { key, version } of startFacts)
      await this.run(this.q.deleteStartFact, [writeTimestamp(version), ...key]);
    for (const [sessionId, variants] of views) {
      for (const v of variants) {
        if (v.playerId !== playerId) continue;
        if (v.kind === 'start') {
          const minute = new Date(floorTo(v.ts, MINUTE_MS));
          await this.run(this.q.deleteLegacyStart, [
            minute,
            new Date(v.ts),
            sessionId,
            v.country,
            playerId,
          ]);
        }
        // sessions_by_id is written at the coordinator's clock: a deletion now hides what was
        // stored before it, and an event of the player stored later is kept as usual.
        await this.run(this.q.deleteFact, [sessionId, v.kind, new Date(v.ts), playerId, v.country]);
      }
    }
    return { facts, seconds };
  }

  /**
   * Deletes every row of the player's completed sessions, each at its own version, so that a
   * later session of the player (another row) is kept as usual. Returns how many rows there were.
   * Every generation being written is cleared: two while a rebuild runs (src/domain/generations.ts).
   */
  async eraseCompleted(playerId: string, generations: readonly number[] = [0]): Promise<number> {
    let count = 0;
    for (const generation of generations) {
      const q = this.completedQueries(generation);
      const rows = await readAll(this.client, q.rows, [playerId]);
      for (const row of rows) {
        await this.run(q.delete, [
          writeTimestamp(toNumber(row.get('version'))),
          playerId,
          row.get('end_ts') as Date,
          row.get('session_id') as string,
        ]);
      }
      count += rows.length;
    }
    return count;
  }

  private async run(query: string, params: unknown[]): Promise<void> {
    await this.client.execute(query, params, { prepare: true });
  }
}

/** The sessions among a page of facts in which the player has a variant. */
export function sessionsOf(
  playerId: string,
  facts: Iterable<{ readonly sessionId: string; readonly playerId: string }>,
): Set<string> {
  const sessions = new Set<string>();
  for (const f of facts) if (f.playerId === playerId) sessions.add(f.sessionId);
  return sessions;
}
