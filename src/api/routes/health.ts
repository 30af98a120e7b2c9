import type { RouteModule } from '../app.ts';
import { PATHS } from '../paths.ts';
import { errorBody } from '../errors.ts';
import { cachedFor, checkAll, type ReadinessCheck } from '../readiness.ts';

/** How old the readiness /readyz answers with may be. */
export const READINESS_MAX_AGE_MS = 1000;

/**
 * `/healthz`: the process is alive and its event loop turns (no dependency is consulted, so an
 * orchestrator does not restart healthy processes during a Redis outage). `/readyz`: every
 * dependency answers, each within its own timeout; 503 otherwise, naming the ones that failed and,
 * when known, why (e.g. "keyspace player_sessions does not exist"). Probes are not rate-limited,
 * so /readyz answers from a check at most READINESS_MAX_AGE_MS old, shared by concurrent probes:
 * probing often costs the stores nothing.
 */
export function healthRoutes(checks: readonly ReadinessCheck[], now: () => number): RouteModule {
  const readiness = cachedFor(() => checkAll(checks), { maxAgeMs: READINESS_MAX_AGE_MS, now });
  return (router) => {
    router.get(PATHS.healthz, (ctx) => {
      ctx.body = { status: 'ok' };
    });

    router.get(PATHS.readyz, async (ctx) => {
      const results = await readiness();
      const failed = results.filter((r) => !r.ok);
      if (failed.length === 0) {
        ctx.body = {
          status: 'ready',
          checks: Object.fromEntries(results.map((r) => [r.check, true])),
        };
        return;
      }
      // Not ready is an error answer like any other: the common envelope, the checks as details.
      const named = failed.map((r) => ('reason' in r ? `${r.check} (${r.reason})` : r.check));
      ctx.status = 503;
      ctx.body = errorBody('not_ready', `not ready; failing checks: ${named.join(', ')}`, results);
    });
  };
}
