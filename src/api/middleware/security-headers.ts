import type { Middleware } from 'koa';

/**
 * Headers every response carries, errors and 404s included. `nosniff`: a browser takes a
 * response for what its Content-Type says (JSON stays JSON, never run as a script or rendered as
 * HTML). Pages set their own Content-Security-Policy (the dashboard, /docs).
 */
export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
  };
}
