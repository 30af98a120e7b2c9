import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/env.ts';

export type { Logger };

/** Fields that every log line written while serving one request carries (the request id). */
export type LogContext = AsyncLocalStorage<Record<string, unknown>>;

export function createLogContext(): LogContext {
  return new AsyncLocalStorage<Record<string, unknown>>();
}

/**
 * The process's root logger: JSON lines on stdout. Modules take `logger.child({ module })`; when a
 * log context is given, lines written inside `context.run(fields, ...)` carry those fields too, so
 * code deep in a request needs no logger threaded through for the request id to appear.
 */
export function createLogger(
  options: { level: LogLevel; name: string; context?: LogContext },
  destination?: pino.DestinationStream,
): Logger {
  const { context } = options;
  return pino(
    {
      name: options.name,
      level: options.level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      ...(context ? { mixin: () => context.getStore() ?? {} } : {}),
    },
    destination,
  );
}
