import { Registry, collectDefaultMetrics } from 'prom-client';

export { Registry };

/**
 * A process's metric registry (never prom-client's global one, so tests and several apps in one
 * process do not share counters). Each module registers its own metrics on it, next to the code
 * it measures.
 */
export function createRegistry(processName: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ process: processName });
  collectDefaultMetrics({ register: registry });
  return registry;
}
