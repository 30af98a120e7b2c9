import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import type { Queue } from 'bullmq';
import type { Middleware } from 'koa';
import compose from 'koa-compose';
import auth from 'basic-auth';
import type { Principal } from '../access/access.ts';
import type { LoginThrottle } from '../access/login-throttle.ts';
import { TooManyRequestsError, UnauthorizedError } from '../errors.ts';
import { PATHS } from '../paths.ts';

const BOARD_PATH = PATHS.board;

/**
 * Bull Board at /admin/queues, behind HTTP basic auth (for browsers), or an API key with the admin
 * scope. Without a configured password there is no board at all (the path is a 404): an
 * operations UI that can retry and delete jobs is never open by default. Failed logins are
 * throttled per client address.
 */
export function bullBoard(
  queues: readonly Queue[],
  credentials: { user: string; password: string | undefined },
  throttle: LoginThrottle,
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
    if ((ctx.state.principal as Principal | undefined)?.scopes.includes('admin')) {
      await next();
      return;
    }
    const wait = await throttle.blockedFor(ctx.ip);
    if (wait > 0) throw new TooManyRequestsError('too many failed logins; retry later', wait);
    const given = auth(ctx.req);
    // Compare digests, in constant time, so the comparison leaks neither content nor length.
    const ok =
      given !== undefined &&
      timingSafeEqual(digest(given.name), expectedUser) &&
      timingSafeEqual(digest(given.pass), expectedPassword);
    if (!ok) {
      // A request without credentials is a browser asking for the login dialog, not a failure.
      if (given !== undefined) await throttle.failed(ctx.ip);
      throw new UnauthorizedError('Basic realm="player-session-service admin", charset="UTF-8"');
    }
    await throttle.succeeded(ctx.ip);
    await next();
  };
  return compose([guard, board]);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
