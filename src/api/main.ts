// The API process (Procfile `web`).
import { loadConfigOrExit } from '../config/env.ts';
import { createLogContext, createLogger } from '../observability/logger.ts';
import { onShutdownSignal } from '../runtime/shutdown.ts';
import { startApiServer } from './server.ts';

const config = loadConfigOrExit();
const logContext = createLogContext();
const logger = createLogger({ level: config.logLevel, name: 'api', context: logContext });

try {
  const api = await startApiServer(config, logger, logContext);
  logger.info({ url: api.url, admin_url: api.admin?.url }, 'api listening');
  onShutdownSignal([{ name: 'http server and connections', run: () => api.close() }], {
    timeoutMs: config.shutdownTimeoutMs,
    logger,
  });
} catch (err) {
  logger.fatal({ err }, 'api failed to start');
  process.exit(1);
}
