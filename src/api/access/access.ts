import type { Middleware } from 'koa';
import { bearerOf, type Scope } from '../../auth/api-key.ts';
import type { KeyLookup } from '../../auth/key-lookup.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { RateLimits } from './rate-limits.ts';

/** The API key a request was authenticated with (on `ctx.state.principal`). */
export interface Principal {
  readonly id: string;
  readonly scopes: readonly Scope[];
}

export interface AccessDeps {
  /** Undefined when AUTH=off: no request carries a principal, and every guard lets it pass. */
  readonly keys: KeyLookup | undefined;
  /** Undefined when RATE_LIMIT=off. */
  readonly limits: RateLimits | undefined;
  /** Paths neither identified nor counted: the probes, open to all and cheap by construction. */
  readonly unlimitedPaths: readonly string[];
}

/**
 * Before any route: finds who is calling (a valid `Authorization: Bearer` key, or nobody) and
 * counts the request against that key's budget, or against the client address's smaller one. An
 * address already over its limit (say, by presenting made-up keys) is refused before a key not
 * in the cache is looked up, so that such keys cost Cassandra a bounded number of lookups. With
 * AUTH=off every client is known only by its address, and gets a key's budget. A load balancer
 * probing health and readiness from one address must never be refused: those paths are not
 * counted (they need no key, and /readyz answers from a cached check).
 */
export function identifyAndLimit(deps: AccessDeps): Middleware {
  const unlimited = new Set(deps.unlimitedPaths);
  return async (ctx, next) => {
    if (unlimited.has(ctx.path)) {
      await next();
      return;
    }
    const presented = deps.keys ? bearerOf(ctx.get('Authorization') || undefined) : undefined;
    const address = { kind: 'address', id: ctx.ip } as const;
    let principal: Principal | undefined;
    if (deps.keys && presented !== undefined) {
      if (deps.limits && !deps.keys.isCached(presented)) await deps.limits.refuseIfOver(address);
      const record = await deps.keys.authenticate(presented);
      if (record) principal = { id: record.id, scopes: record.scopes };
    }
    ctx.state.principal = principal;
    if (deps.limits) {
      if (principal) await deps.limits.consume(ctx, { kind: 'key', id: principal.id });
      else if (!deps.keys) await deps.limits.consume(ctx, { kind: 'key', id: `address:${ctx.ip}` });
      else await deps.limits.consume(ctx, address);
    }
    await next();
  };
}

export const BEARER_CHALLENGE = 'Bearer realm="player-session-service"';

/** A route's guard: the request's key must hold `scope`. */
export type Guard = (scope: Scope) => Middleware;

/** Guards for the routes: 401 without a valid key, 403 without the scope; none with AUTH=off. */
export function guards(enabled: boolean): Guard {
  if (!enabled) return () => (_ctx, next) => next();
  return (scope) => async (ctx, next) => {
    const principal = ctx.state.principal as Principal | undefined;
    if (!principal) {
      throw new UnauthorizedError(
        BEARER_CHALLENGE,
        'a valid API key is required: Authorization: Bearer <key>',
      );
    }
    if (!principal.scopes.includes(scope))
      throw new ForbiddenError('forbidden', `this API key lacks the scope ${scope}`, [{ scope }]);
    await next();
  };
}
