// The worker process (Procfile `worker`).
import { loadConfigOrExit } from '../src/config/env.ts';
import { createLogger } from '../src/observability/logger.ts';
import { onShutdownSignal } from '../src/runtime/shutdown.ts';
import { composeWorker } from './compose-worker.ts';

const config = loadConfigOrExit();
const logger = createLogger({ level: config.logLevel, name: 'worker' });

try {
  const worker = await composeWorker(config, logger);
  logger.info(
    {
      queues: worker.workers.map((w) => w.name),
      concurrency: config.worker.concurrency,
    },
    'worker running',
  );
  onShutdownSignal([{ name: 'worker and connections', run: () => worker.close() }], {
    timeoutMs: config.shutdownTimeoutMs,
    logger,
  });
} catch (err) {
  logger.fatal({ err }, 'worker failed to start');
  process.exit(1);
}
