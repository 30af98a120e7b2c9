import type { Logger } from 'pino';

export type ShutdownStep = { readonly name: string; readonly run: () => Promise<unknown> };

/**
 * Graceful shutdown on SIGTERM/SIGINT under a hard deadline: the steps run in order (stop taking
 * work, finish what is in flight, close connections); whatever is still running at the deadline is
 * abandoned and the process exits non-zero, so an orchestrator never waits on a stuck process.
 * A second signal exits at once.
 */
export function onShutdownSignal(
  steps: readonly ShutdownStep[],
  options: { timeoutMs: number; logger: Logger; exit?: (code: number) => void },
): () => Promise<void> {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const log = options.logger;
  let shuttingDown: Promise<void> | undefined;

  const shutdown = (): Promise<void> => {
    if (shuttingDown) return shuttingDown;
    shuttingDown = (async () => {
      const deadline = setTimeout(() => {
        log.error({ timeoutMs: options.timeoutMs }, 'shutdown deadline passed; exiting now');
        exit(1);
      }, options.timeoutMs);
      deadline.unref();
      let failed = false;
      for (const step of steps) {
        try {
          await step.run();
          log.info({ step: step.name }, 'shutdown step done');
        } catch (err) {
          failed = true;
          log.error({ err, step: step.name }, 'shutdown step failed');
        }
      }
      clearTimeout(deadline);
      log.info('shutdown complete');
      exit(failed ? 1 : 0);
    })();
    return shuttingDown;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (shuttingDown) {
      log.warn({ signal }, 'second signal; exiting immediately');
      exit(1);
      return;
    }
    log.info({ signal }, 'shutting down');
    void shutdown();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return shutdown;
}
