import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';
import { QueueFullError } from '../ingest/backpressure.ts';
import { IdempotencyKeyReusedError, QueueUnavailableError } from '../ingest/batch-producer.ts';
import { UnknownRecordVersionError } from '../../queue/batch-records.ts';
import { isStorageUnavailable } from '../../storage/storage-errors.ts';
import {
  ApiError,
  ServiceUnavailableError,
  UnprocessableContentError,
  errorBody,
} from '../errors.ts';

/**
 * The one place errors become responses. ApiErrors answer with their own status and code; an
 * unavailable queue or storage is a 503 with Retry-After; the client errors raised by Koa, its
 * router and its body reader (http-errors with `expose`) are mapped to stable codes; anything else
 * is a bug: logged with its stack and answered 500 without details.
 */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body === undefined || ctx.body === null) answerUnrouted(ctx);
    } catch (thrown) {
      const err = translate(thrown);
      if (err instanceof ApiError) {
        ctx.status = err.status;
        ctx.set(err.headers());
        ctx.body = errorBody(err.code, err.message, err.details);
        return;
      }
      const known = clientError(err);
      if (known) {
        ctx.status = known.status;
        ctx.body = errorBody(known.code, known.message);
        return;
      }
      logger.error({ err }, 'unhandled error');
      ctx.status = 500;
      ctx.body = errorBody('internal_error', 'the server failed to handle the request');
    }
  };
}

/**
 * Requests no route answered: the router leaves 404, or 405/501 with an Allow header for a known
 * path and a method it does not serve. An unknown method is the client's mistake like any other
 * wrong one, so both are a 405 (keeping Allow); a method on no known path is a 404.
 */
function answerUnrouted(ctx: Context): void {
  const allow = ctx.response.get('Allow');
  if ((ctx.status === 405 || ctx.status === 501) && allow !== '') {
    ctx.status = 405;
    ctx.body = errorBody(
      'method_not_allowed',
      `${ctx.method} is not allowed on ${ctx.path}; allowed: ${allow}`,
    );
  } else if (ctx.status === 404 || ctx.status === 405 || ctx.status === 501) {
    ctx.remove('Allow');
    ctx.status = 404;
    ctx.body = errorBody('not_found', `no route for ${ctx.method} ${ctx.path}`);
  }
}

/**
 * A full queue drains at the workers' pace, seconds rather than the blip of a lost connection:
 * clients asked to come back sooner would only add refused requests to the load being shed.
 */
export const QUEUE_FULL_RETRY_AFTER_SECONDS = 5;

/** The errors of the layers below that have a meaning for the client. */
function translate(err: unknown): unknown {
  if (err instanceof QueueFullError) {
    return new ServiceUnavailableError('queue_full', err.message, QUEUE_FULL_RETRY_AFTER_SECONDS);
  }
  if (err instanceof QueueUnavailableError && refusesWrites(err.cause)) {
    // Redis answers but cannot persist (its disk is full): not a blip, so clients wait longer.
    return new ServiceUnavailableError(
      'queue_not_writable',
      'the queue cannot store batches right now; retry later',
      QUEUE_FULL_RETRY_AFTER_SECONDS,
    );
  }
  if (err instanceof QueueUnavailableError) {
    return new ServiceUnavailableError(
      'queue_unavailable',
      'the queue cannot take batches right now; retry',
      1,
    );
  }
  if (err instanceof UnknownRecordVersionError) {
    // Written by a newer release while an upgrade runs: an API process of that release, or this
    // one once replaced, answers in a few seconds.
    return new ServiceUnavailableError(
      'upgrade_in_progress',
      'this batch was recorded by a newer release of the service; retry',
      QUEUE_FULL_RETRY_AFTER_SECONDS,
    );
  }
  if (err instanceof IdempotencyKeyReusedError) {
    return new UnprocessableContentError('idempotency_key_reused', err.message, [
      { batch_id: err.batchId },
    ]);
  }
  if (isStorageUnavailable(err)) {
    return new ServiceUnavailableError(
      'storage_unavailable',
      'the read models cannot be read right now; retry',
      1,
    );
  }
  return err;
}

/** Redis's MISCONF: it refuses writes because it cannot write its AOF or RDB file. */
function refusesWrites(cause: unknown): boolean {
  return cause instanceof Error && cause.message.startsWith('MISCONF');
}

interface HttpErrorLike {
  status?: unknown;
  expose?: unknown;
  type?: unknown;
  message?: unknown;
}

const CODES_BY_TYPE: Record<string, { code: string; message?: string }> = {
  'entity.too.large': { code: 'body_too_large', message: 'the request body is too large' },
  'request.aborted': { code: 'request_aborted', message: 'the request was aborted' },
  'request.size.invalid': {
    code: 'malformed_body',
    message: 'the body length does not match Content-Length',
  },
  'encoding.unsupported': { code: 'unsupported_encoding', message: 'unsupported content encoding' },
  'charset.unsupported': { code: 'unsupported_charset', message: 'unsupported charset' },
};

const CODES_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'body_too_large',
  415: 'unsupported_media_type',
  501: 'not_implemented',
};

function clientError(err: unknown): { status: number; code: string; message: string } | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as HttpErrorLike;
  if (typeof e.status !== 'number' || e.expose !== true || e.status < 400 || e.status >= 500) {
    return undefined;
  }
  const byType = typeof e.type === 'string' ? CODES_BY_TYPE[e.type] : undefined;
  const message = typeof e.message === 'string' ? e.message : 'bad request';
  return {
    status: e.status,
    code: byType?.code ?? CODES_BY_STATUS[e.status] ?? 'bad_request',
    message: byType?.message ?? message,
  };
}
