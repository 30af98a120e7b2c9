import type { RouteModule } from '../app.ts';
import { withTimeout } from '../../runtime/timeout.ts';
import { errorBody } from '../errors.ts';

/** What a readiness check found: fine, or not, with the cause when it is known. */
export type CheckResult = { readonly ok: true } | { readonly ok: false; readonly reason?: string };

/** A dependency the service needs to do its work, checked by /readyz. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<CheckResult>;
}

const CHECK_TIMEOUT_MS = 1500;

/**
 * `/healthz`: the process is alive and its event loop turns (no dependency is consulted, so an
 * orchestrator does not restart healthy processes during a Redis outage). `/readyz`: every
 * dependency answers, each within its own timeout; 503 otherwise, naming the ones that failed and,
 * when known, why (e.g. "keyspace player_sessions does not exist").
 */
export function healthRoutes(checks: readonly ReadinessCheck[]): RouteModule {
  return (router) => {
    router.get('/healthz', (ctx) => {
      ctx.body = { status: 'ok' };
    });

    router.get('/readyz', async (ctx) => {
      const results = await Promise.all(
        checks.map(async (c) => {
          const result = await withTimeout(c.check(), CHECK_TIMEOUT_MS).catch(
            (err: unknown): CheckResult => ({
              ok: false,
              reason: err instanceof Error ? err.message : String(err),
            }),
          );
          return result.ok || !result.reason
            ? { check: c.name, ok: result.ok }
            : { check: c.name, ok: false, reason: result.reason };
        }),
      );
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

/** A check that answers whether something responds, with no more to say. */
export function answers(probe: () => Promise<boolean>): () => Promise<CheckResult> {
  return async () => ((await probe()) ? { ok: true } : { ok: false });
}
