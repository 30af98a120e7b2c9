import { Writable } from 'node:stream';
import {
  createLogContext,
  createLogger,
  type LogContext,
  type Logger,
} from '../../src/observability/logger.ts';

/** A process's logger whose JSON lines a test reads back, parsed, in the order they were written. */
export interface CapturedLogs {
  readonly logger: Logger;
  readonly logContext: LogContext;
  readonly lines: Record<string, unknown>[];
}

/** A logger at info level, as a process named `name` would log to its stdout. */
export function captureLogs(name: string): CapturedLogs {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logContext = createLogContext();
  const logger = createLogger({ level: 'info', name, context: logContext }, sink);
  return { logger, logContext, lines };
}
