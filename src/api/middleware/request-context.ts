import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { LogContext } from '../../observability/logger.ts';

const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the client's `X-Request-Id` when it is sane, else a new UUID),
 * echoes it back, runs the rest of the request inside a log context that stamps `req_id` on every
 * log line, and writes one access line when the response is done.
 */
export function requestContext(logger: Logger, logContext: LogContext): Middleware {
  return async (ctx, next) => {
    const given = ctx.get('X-Request-Id');
    const reqId = CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    ctx.set('X-Request-Id', reqId);
    const started = process.hrtime.bigint();
    await logContext.run({ req_id: reqId }, async () => {
      try {
        await next();
      } finally {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        logger.info(
          {
            method: ctx.method,
            path: ctx.path,
            // The client as the rate limit and the login lockout see it (src/api/client-address.ts).
            ip: ctx.ip,
            status: ctx.status,
            ms: Math.round(ms * 100) / 100,
          },
          'request',
        );
      }
    });
  };
}
