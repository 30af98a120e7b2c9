import path from 'node:path';
import { stringify } from 'yaml';
import type { Config } from '../../src/config/env.ts';
import { OpsError } from './errors.ts';

/** What a local Prometheus scrapes: the API's host:port, and the file holding its admin key. */
export interface ScrapeTarget {
  readonly address: string;
  /** A key with the `admin` scope, sent as a bearer token; none on ADMIN_PORT or with AUTH=off. */
  readonly keyFile?: string;
}

/**
 * The API a local run serves, as `npm start` runs it: on ADMIN_PORT `/metrics` needs no key;
 * otherwise it is on PORT behind an admin key, the development key `npm start` keeps in the
 * local stack's directory unless `keyFile` names another. `address` overrides host and port.
 */
export function localScrapeTarget(
  config: Pick<Config, 'http' | 'auth'>,
  stackDir: string,
  given: { address?: string; keyFile?: string } = {},
): ScrapeTarget {
  const host = ['0.0.0.0', '::', ''].includes(config.http.host) ? '127.0.0.1' : config.http.host;
  const onAdminPort = config.http.adminPort !== undefined;
  const port = config.http.adminPort ?? config.http.port;
  const address = given.address ?? `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!/^(\[[0-9a-fA-F:.]+\]|[\w.-]+):\d{1,5}$/.test(address))
    throw new OpsError(`--target must be host:port, not "${address}"`);
  const needsKey = config.auth.enabled && !(onAdminPort && given.address === undefined);
  const keyFile = given.keyFile ?? (needsKey ? path.join(stackDir, 'dev-api-key') : undefined);
  return keyFile === undefined ? { address } : { address, keyFile: path.resolve(keyFile) };
}

/**
 * prometheus.yml for a Prometheus outside Docker: the shipped alert rules (by absolute path, so
 * they stay the ones in ops/prometheus/) and one job named as the rules expect (`ApiDown` reads
 * `up{job="player-sessions"}`).
 */
export function localPrometheusConfig(options: {
  readonly target: ScrapeTarget;
  readonly rulesFile: string;
  readonly intervalSeconds: number;
}): string {
  const interval = `${options.intervalSeconds}s`;
  const job = {
    job_name: 'player-sessions',
    metrics_path: '/metrics',
    static_configs: [{ targets: [options.target.address] }],
    ...(options.target.keyFile
      ? { authorization: { type: 'Bearer', credentials_file: options.target.keyFile } }
      : {}),
  };
  return [
    '# Written by `npm run stack -- up --only prometheus`; rewritten on every run.',
    stringify({
      global: { scrape_interval: interval, evaluation_interval: interval },
      rule_files: [path.resolve(options.rulesFile)],
      scrape_configs: [job],
    }),
  ].join('\n');
}
