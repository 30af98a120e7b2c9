import { formatTimestamp } from '../../domain/timestamp.ts';
import type { CompletedSessions } from '../../storage/completed-sessions.ts';
import type { RouteModule } from '../app.ts';
import { BadRequestError } from '../errors.ts';

export const PLAYER_ID = /^[^\s\p{Cc}]{1,64}$/u;
export const MAX_LIMIT = 20;

/** GET /v1/players/{player_id}/sessions: the last completed sessions, newest end first. */
export function playerRoutes(completed: Pick<CompletedSessions, 'latest'>): RouteModule {
  return (router) => {
    router.get('/v1/players/:playerId/sessions', async (ctx) => {
      const playerId = ctx.params.playerId ?? '';
      if (!PLAYER_ID.test(playerId)) {
        throw new BadRequestError(
          'invalid_player_id',
          'player_id must be 1 to 64 characters without whitespace or control characters',
        );
      }
      const limit = limitParam(ctx.query.limit);
      const sessions = await completed.latest(playerId, limit);
      ctx.body = {
        player_id: playerId,
        sessions: sessions.map((s) => ({
          session_id: s.sessionId,
          country: s.country,
          start_ts: formatTimestamp(s.startTs),
          end_ts: formatTimestamp(s.endTs),
          duration_seconds: (s.endTs - s.startTs) / 1000,
        })),
      };
    });
  };
}

function limitParam(raw: unknown): number {
  if (raw === undefined) return MAX_LIMIT;
  if (typeof raw === 'string' && /^\d{1,2}$/.test(raw)) {
    const n = Number(raw);
    if (n >= 1 && n <= MAX_LIMIT) return n;
  }
  throw new BadRequestError('invalid_limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
}
