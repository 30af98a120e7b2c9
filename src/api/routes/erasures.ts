import { identifier, invalidIdentifier, obeys } from '../../domain/rules.ts';
import type { Logger } from '../../observability/logger.ts';
import { QueueUnavailableError } from '../ingest/batch-producer.ts';
import { erasureStatus, requestErasure, type ErasuresQueue } from '../../queue/erasures-queue.ts';
import { withTimeout } from '../../runtime/timeout.ts';
import type { Guard, Principal } from '../access/access.ts';
import type { RouteModule } from '../app.ts';
import { PATHS, filled, routed } from '../paths.ts';
import { BadRequestError, NotFoundError } from '../errors.ts';

const PLAYER_ID = identifier('player_id');
const ERASURE_ID = /^erasure-[0-9a-f-]{36}$/;

export interface ErasureRouteDeps {
  readonly queue: Pick<ErasuresQueue, 'add' | 'getJob'>;
  readonly isConnected: () => boolean;
  readonly timeoutMs: number;
  readonly now: () => number;
  readonly logger: Logger;
  readonly guard: Guard;
}

/**
 * DELETE /v1/players/{player_id}: queues the erasure of a player (admin scope) and answers 202
 * with its id; GET /v1/erasures/{erasure_id}: where it is. The audit line names the key that
 * asked and the SHA-256 of the player id, never the id.
 */
export function erasureRoutes(deps: ErasureRouteDeps): RouteModule {
  const redis = async <T>(work: () => Promise<T>): Promise<T> => {
    if (!deps.isConnected()) throw new QueueUnavailableError(new Error('Redis is not connected'));
    try {
      return await withTimeout(work(), deps.timeoutMs);
    } catch (err) {
      throw new QueueUnavailableError(err);
    }
  };
  return (router) => {
    router.delete(routed(PATHS.player), deps.guard('admin'), async (ctx) => {
      const playerId = ctx.params.player_id ?? '';
      if (!obeys(PLAYER_ID, playerId))
        throw new BadRequestError('invalid_player_id', invalidIdentifier('player_id'));
      const principal = ctx.state.principal as Principal | undefined;
      const requestedBy = principal ? `key:${principal.id}` : 'anonymous (AUTH=off)';
      const job = await redis(() =>
        requestErasure(deps.queue, playerId, requestedBy, new Date(deps.now())),
      );
      deps.logger.info(
        {
          audit: 'player_erasure_requested',
          erasure_id: job.id,
          player_sha256: job.data.player_sha256,
          requested_by: requestedBy,
          requested_at: job.data.requested_at,
        },
        'player erasure requested',
      );
      ctx.status = 202;
      ctx.set('Location', filled(PATHS.erasure, { erasure_id: job.id ?? '' }));
      ctx.body = {
        erasure_id: job.id,
        state: 'queued',
        player_sha256: job.data.player_sha256,
        requested_at: job.data.requested_at,
      };
    });

    router.get(routed(PATHS.erasure), deps.guard('admin'), async (ctx) => {
      const id = ctx.params.erasure_id ?? '';
      const status = ERASURE_ID.test(id)
        ? await redis(() => erasureStatus(deps.queue, id))
        : undefined;
      if (!status) throw new NotFoundError('erasure_not_found', `no erasure ${id} is known`);
      ctx.body = status;
    });
  };
}
