import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { Queue } from 'bullmq';
import type { Middleware } from 'koa';
import compose from 'koa-compose';
import auth from 'basic-auth';
import { UnauthorizedError } from '../errors.ts';

export const BOARD_PATH = '/admin/queues';

/**
 * Bull Board at /admin/queues, behind HTTP basic auth. Without a configured password there is no
 * board at all (the path is a 404): an operations UI that can retry and delete jobs is never open
 * by default.
 */
export function bullBoard(
  queues: readonly Queue[],
  credentials: { user: string; password: string | undefined },
): Middleware | undefined {
  const { password } = credentials;
  if (password === undefined) return undefined;

  const adapter = new KoaAdapter();
  adapter.setBasePath(BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  const board = adapter.registerPlugin();

  const expectedUser = digest(credentials.user);
  const expectedPassword = digest(password);
  const guard: Middleware = async (ctx, next) => {
    if (ctx.path !== BOARD_PATH && !ctx.path.startsWith(`${BOARD_PATH}/`)) {
      await next();
      return;
    }
    const given = auth(ctx.req);
    // Compare digests, in constant time, so the comparison leaks neither content nor length.
    const ok =
      given !== undefined &&
      timingSafeEqual(digest(given.name), expectedUser) &&
      timingSafeEqual(digest(given.pass), expectedPassword);
    if (!ok) throw new UnauthorizedError('player-session-service admin');
    await next();
  };
  return compose([guard, board]);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
