import { expect } from 'chai';
import { parse } from 'yaml';
import { localPrometheusConfig, localScrapeTarget } from '../../../ops/lib/prometheus-config.ts';
import { loadConfig } from '../../../src/config/env.ts';

/** The config of an API run with these variables and the defaults for the rest. */
const config = (env: Record<string, string>) => loadConfig({ PORT: '3000', ...env });

describe('what a local Prometheus scrapes', () => {
  it('is the public port with npm start’s development key when /metrics has no ADMIN_PORT', () => {
    expect(localScrapeTarget(config({}), '/repo/.local')).to.deep.equal({
      address: '127.0.0.1:3000',
      keyFile: '/repo/.local/dev-api-key',
    });
  });

  it('is ADMIN_PORT without a key, where /metrics needs none', () => {
    expect(localScrapeTarget(config({ ADMIN_PORT: '3002' }), '/repo/.local')).to.deep.equal({
      address: '127.0.0.1:3002',
    });
  });

  it('needs no key when keys are off, and keeps a HOST the API binds to alone', () => {
    expect(localScrapeTarget(config({ HOST: '10.0.0.5', AUTH: 'off' }), '/l')).to.deep.equal({
      address: '10.0.0.5:3000',
    });
  });

  it('is the given target and key file when the API runs elsewhere', () => {
    expect(
      localScrapeTarget(config({ ADMIN_PORT: '3002' }), '/l', {
        address: 'api.internal:3000',
        keyFile: '/keys/admin',
      }),
    ).to.deep.equal({ address: 'api.internal:3000', keyFile: '/keys/admin' });
  });

  it('refuses a target that is not host:port', () => {
    expect(() => localScrapeTarget(config({}), '/l', { address: 'http://x:1/metrics' })).to.throw(
      /host:port/,
    );
  });
});

describe('the config of a local Prometheus', () => {
  it('scrapes as the job the shipped rules name, with the key as a bearer token from its file', () => {
    const written = parse(
      localPrometheusConfig({
        target: { address: '127.0.0.1:3000', keyFile: '/l/dev-api-key' },
        rulesFile: '/repo/ops/prometheus/alerts.yml',
        intervalSeconds: 5,
      }),
    ) as Record<string, unknown>;
    expect(written).to.deep.equal({
      global: { scrape_interval: '5s', evaluation_interval: '5s' },
      rule_files: ['/repo/ops/prometheus/alerts.yml'],
      scrape_configs: [
        {
          job_name: 'player-sessions',
          metrics_path: '/metrics',
          static_configs: [{ targets: ['127.0.0.1:3000'] }],
          authorization: { type: 'Bearer', credentials_file: '/l/dev-api-key' },
        },
      ],
    });
  });
});
