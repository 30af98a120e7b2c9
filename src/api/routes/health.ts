import type { RouteModule } from '../app.ts';
import { errorBody } from '../errors.ts';

/** A dependency the service needs to do its work, checked by /readyz. */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<boolean>;
}

const CHECK_TIMEOUT_MS = 1500;

/**
 * `/healthz`: the process is alive and its event loop turns (no dependency is consulted, so an
 * orchestrator does not restart healthy processes during a Redis outage). `/readyz`: every
 * dependency answers, each within its own timeout; 503 otherwise, naming the ones that failed.
 */
export function healthRoutes(checks: readonly ReadinessCheck[]): RouteModule {
  return (router) => {
    router.get('/healthz', (ctx) => {
      ctx.body = { status: 'ok' };
    });
    router.get('/readyz', async (ctx) => {
      const results = await Promise.all(
        checks.map(async (c) => [c.name, await withTimeout(c.check())] as const),
      );
      const failed = results.filter(([, ok]) => !ok).map(([name]) => name);
      if (failed.length === 0) {
        ctx.body = { status: 'ready', checks: Object.fromEntries(results) };
        return;
      }
      // Not ready is an error answer like any other: the common envelope, the checks as details.
      ctx.status = 503;
      ctx.body = errorBody(
        'not_ready',
        `not ready; failing checks: ${failed.join(', ')}`,
        results.map(([check, ok]) => ({ check, ok })),
      );
    });
  };
}

async function withTimeout(check: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check.catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
