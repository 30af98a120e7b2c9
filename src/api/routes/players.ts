import {
  INVALID_LIMIT,
  MAX_LIMIT,
  identifier,
  invalidIdentifier,
  limit as limitRule,
  obeys,
} from '../../domain/rules.ts';
import { formatTimestamp } from '../../domain/timestamp.ts';
import type { PlayerSessionsQueries } from '../../queries/player-sessions.ts';
import type { Guard } from '../access/access.ts';
import type { RouteModule } from '../app.ts';
import { BadRequestError } from '../errors.ts';
import { PATHS, routed } from '../paths.ts';

const PLAYER_ID = identifier('player_id');

/** GET /v1/players/{player_id}/sessions: the last completed sessions, newest end first. */
export function playerRoutes(
  queries: Pick<PlayerSessionsQueries, 'latest'>,
  guard: Guard,
): RouteModule {
  return (router) => {
    router.get(routed(PATHS.playerSessions), guard('read'), async (ctx) => {
      const playerId = ctx.params.player_id ?? '';
      if (!obeys(PLAYER_ID, playerId))
        throw new BadRequestError('invalid_player_id', invalidIdentifier('player_id'));
      const limit = limitParam(ctx.query.limit);
      const result = await queries.latest(playerId, limit);
      ctx.body = {
        player_id: playerId,
        sessions: result.sessions.map((s) => ({
          session_id: s.sessionId,
          country: s.country,
          start_ts: formatTimestamp(s.startTs),
          end_ts: formatTimestamp(s.endTs),
          duration_seconds: s.durationSeconds,
        })),
      };
    });
  };
}

function limitParam(raw: unknown): number {
  if (raw === undefined) return MAX_LIMIT;
  // Plain digits only (no sign, exponent or padding beyond the largest limit's length).
  if (typeof raw === 'string' && raw.length <= String(MAX_LIMIT).length && /^\d+$/.test(raw)) {
    const n = Number(raw);
    if (obeys(limitRule, n)) return n;
  }
  throw new BadRequestError('invalid_limit', INVALID_LIMIT);
}
