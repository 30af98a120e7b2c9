import type Koa from 'koa';
import type { Queue } from 'bullmq';
import { KeyLookup } from '../../auth/key-lookup.ts';
import type { Config } from '../../config/env.ts';
import type { Logger } from '../../observability/logger.ts';
import { ApiKeys } from '../../storage/api-keys.ts';
import { guards, identifyAndLimit, type Guard } from '../access/access.ts';
import { LoginThrottle } from '../access/login-throttle.ts';
import { RateLimits } from '../access/rate-limits.ts';
import { bullBoard } from '../admin/bull-board.ts';
import { PROBE_PATHS } from '../paths.ts';
import type { ApiConnections } from './connections.ts';

/** Who may do what: the keys, the rate limits, the scope guards, and Bull Board behind its login. */
export interface Access {
  /** Names the caller (by key, with AUTH=on) and applies its rate limit. */
  readonly identify: Koa.Middleware;
  readonly guard: Guard;
  /** Bull Board, when an admin password is configured. */
  readonly board: Koa.Middleware | undefined;
}

export function composeAccess(
  config: Config,
  connections: ApiConnections,
  boardQueues: readonly Queue[],
  deps: { logger: Logger; now: () => number },
): Access {
  const { redis, cassandra } = connections;
  const prefix = config.queue.prefix;
  const keys = config.auth.enabled
    ? new KeyLookup(new ApiKeys(cassandra, config.cassandra.keyspace), {
        cacheMs: config.auth.cacheSeconds * 1000,
        now: deps.now,
      })
    : undefined;
  if (!keys) deps.logger.warn('AUTH=off: every route is open to anyone who can reach the port');
  const identify = identifyAndLimit({
    keys,
    limits: config.rateLimit.enabled
      ? new RateLimits(redis, { prefix, ...config.rateLimit })
      : undefined,
    unlimitedPaths: PROBE_PATHS,
  });
  const throttle = new LoginThrottle(redis, {
    prefix,
    maxFailures: config.admin.maxLoginFailures,
    blockSeconds: config.admin.loginBlockSeconds,
  });
  const board = bullBoard(boardQueues, config.admin, throttle);
  return { identify, guard: guards(config.auth.enabled), board };
}
