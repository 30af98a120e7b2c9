import fs from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../../src/config/env.ts';

/**
 * No Docker engine runs where the tests run, so the compose file is checked statically: its
 * services, ports, health checks and commands against the Procfile, the npm scripts and the
 * config module, which are what `npm start` runs.
 */

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { replicas?: number };
  restart?: string;
}

const read = (file: string) =>
  fs.readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const procfile = new Map(
  read('Procfile')
    .trim()
    .split('\n')
    .map((line) => {
      const [type, ...rest] = line.split(':');
      return [
        type!.trim(),
        rest
          .join(':')
          .trim()
          .replace(/^exec /, ''),
      ] as const;
    }),
);
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`no service ${name}`);
  return found;
};

describe('docker-compose.yml', () => {
  it('has Cassandra, Redis, a one-shot migration, the API, the workers, Prometheus and Grafana', () => {
    expect(Object.keys(services).sort()).to.deep.equal([
      'api',
      'cassandra',
      'grafana',
      'migrate',
      'prometheus',
      'redis',
      'worker',
    ]);
  });

  it('runs the Procfile’s commands for every process type, and the Procfile has no other', () => {
    expect([...procfile.keys()].sort()).to.deep.equal(['web', 'worker']);
    expect(service('api').command?.join(' ')).to.equal(procfile.get('web'));
    expect(service('worker').command?.join(' ')).to.equal(procfile.get('worker'));
    // npm run migrate runs the TypeScript source; the image runs what `npm run build` made of it.
    expect(service('migrate').command?.join(' ')).to.equal(
      scripts.migrate?.replace(/^node --import tsx (\S+)\.ts$/, 'node dist/$1.js'),
    );
  });

  it('runs Cassandra 5.0 (official image) with a CQL health check and the data centre the driver expects', () => {
    const cassandra = service('cassandra');
    expect(cassandra.image).to.match(/^cassandra:5\.0/);
    expect(cassandra.ports).to.include('9042:9042');
    expect(cassandra.healthcheck?.test.join(' ')).to.match(/cqlsh/);
    expect(cassandra.environment?.CASSANDRA_DC).to.equal(
      loadConfig(service('api').environment ?? {}).cassandra.localDataCenter,
    );
  });

  it('runs Redis with append-only persistence, fsync on every write and noeviction', () => {
    const redis = service('redis');
    const command = redis.command?.join(' ') ?? '';
    expect(command).to.match(/--appendonly yes/);
    expect(command).to.match(/--appendfsync always/);
    expect(command).to.match(/--maxmemory-policy noeviction/);
    expect(redis.healthcheck?.test).to.include('ping');
  });

  it('publishes the API on the port its PORT says (its ADMIN_PORT on loopback only), and checks /readyz', () => {
    const api = service('api');
    const config = loadConfig(api.environment ?? {});
    expect(api.ports).to.deep.equal([
      `${config.http.port}:${config.http.port}`,
      `127.0.0.1:${config.http.adminPort}:${config.http.adminPort}`,
    ]);
    expect(api.healthcheck?.test.join(' ')).to.include(
      `http://127.0.0.1:${config.http.port}/readyz`,
    );
  });

  it('believes no X-Forwarded-For, as nothing sits in front of the API’s published port', () => {
    const api = service('api');
    const proxies = Object.values(services).filter((s) =>
      /nginx|haproxy|traefik|envoy|caddy/.test(s.image ?? ''),
    );
    expect(proxies).to.deep.equal([]);
    expect(loadConfig(api.environment ?? {}).proxy.trustedHops).to.equal(0);
    expect(api.environment?.TRUST_PROXY_HOPS, 'said explicitly').to.equal('0');
  });

  it('starts the API and the workers only after Redis is healthy and the migration has run', () => {
    for (const name of ['api', 'worker']) {
      expect(service(name).depends_on).to.deep.equal({
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(service('migrate').depends_on).to.deep.equal({
      cassandra: { condition: 'service_healthy' },
    });
    expect(service('migrate').restart).to.equal('no');
  });

  it('runs several workers', () => {
    expect(service('worker').deploy?.replicas).to.be.at.least(2);
  });

  it('configures the processes only with variables the config module knows, with values it accepts', () => {
    for (const name of ['api', 'worker', 'migrate']) {
      const env = service(name).environment ?? {};
      for (const key of Object.keys(env))
        expect(CONFIG_VARIABLES, `${name}: ${key}`).to.include(key);
      const config = loadConfig(
        Object.fromEntries(
          Object.entries(env).map(([k, v]) => [k, v.replace(/^\$\{[^}]*\}$/, '')]),
        ),
      );
      expect(config.redis.url).to.equal('redis://redis:6379');
      expect(config.cassandra.contactPoints).to.deep.equal(['cassandra:9042']);
    }
  });

  it('builds every service of ours from the Dockerfile, whose image runs compiled JavaScript only', () => {
    const dockerfile = read('Dockerfile');
    for (const name of ['api', 'worker', 'migrate']) expect(service(name).build).to.equal('.');
    expect(dockerfile).to.match(/^RUN npm run build$/m);
    const final = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
    expect(final).to.match(/npm ci --omit=dev|COPY --from=deps \/app\/node_modules/);
    expect(final).to.match(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(final, 'no sources in the final image').not.to.match(/^COPY (src|workers|ops) /m);
    expect(final).to.include(
      `CMD ${JSON.stringify(procfile.get('web')?.split(' '))}`.replaceAll(',', ', '),
    );
  });
});
