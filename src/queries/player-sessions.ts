import type { CompletedSessions } from '../storage/completed-sessions.ts';

export interface PlayerSession {
  readonly sessionId: string;
  readonly country: string;
  readonly startTs: number;
  readonly endTs: number;
  readonly durationSeconds: number;
}

export interface PlayerSessions {
  readonly sessions: readonly PlayerSession[];
}

/**
 * The player-history view (read model 2): a player's last completed sessions, newest end first,
 * read from the player's own partition (one bounded slice, at most `limit` rows).
 */
export class PlayerSessionsQueries {
  constructor(private readonly deps: { completed: Pick<CompletedSessions, 'latest'> }) {}

  async latest(playerId: string, limit: number): Promise<PlayerSessions> {
    const rows = await this.deps.completed.latest(playerId, limit);
    return {
      sessions: rows.map((s) => ({
        sessionId: s.sessionId,
        country: s.country,
        startTs: s.startTs,
        endTs: s.endTs,
        durationSeconds: (s.endTs - s.startTs) / 1000,
      })),
    };
  }
}
