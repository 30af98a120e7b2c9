import { expect } from 'chai';
import { startApiServer, type ApiServer } from '../../../src/api/server.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { testConfig } from '../../helpers/env.ts';
import { migratedKeyspace, useMigratedKeyspace } from '../../helpers/cassandra.ts';

const silent = createLogger({ level: 'silent', name: 'test' });
// Nothing listens on port 1 of the loopback interface: connections are refused at once.
const DEAD_REDIS = 'redis://127.0.0.1:1';
const DEAD_CASSANDRA = '127.0.0.1:1';

async function get(
  api: ApiServer,
  path: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${api.url}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('health and readiness', function () {
  this.timeout(30_000);
  const config = testConfig();
  useMigratedKeyspace(config);

  it('is alive and ready when Redis and Cassandra answer and the schema is in place', async () => {
    const api = await startApiServer(config, silent);
    try {
      expect(await get(api, '/healthz')).to.deep.equal({ status: 200, body: { status: 'ok' } });
      expect(await get(api, '/readyz')).to.deep.equal({
        status: 200,
        body: { status: 'ready', checks: { redis: true, cassandra: true, schema: true } },
      });
    } finally {
      await api.close();
    }
  });

  it('is not ready while Redis does not answer, and still alive', async () => {
    const api = await startApiServer(
      testConfig({ REDIS_URL: DEAD_REDIS, CASSANDRA_KEYSPACE: config.cassandra.keyspace }),
      silent,
    );
    try {
      const started = Date.now();
      const ready = await get(api, '/readyz');
      expect(ready.status).to.equal(503);
      expect(ready.body).to.deep.equal({
        error: {
          code: 'not_ready',
          message: 'not ready; failing checks: redis',
          details: [
            { check: 'redis', ok: false },
            { check: 'cassandra', ok: true },
            { check: 'schema', ok: true },
          ],
        },
      });
      expect(Date.now() - started, 'readyz must not hang').to.be.below(3000);
      expect((await get(api, '/healthz')).status).to.equal(200);
    } finally {
      await api.close();
    }
  });

  it('is not ready while Cassandra does not answer', async () => {
    const api = await startApiServer(
      testConfig({ CASSANDRA_CONTACT_POINTS: DEAD_CASSANDRA }),
      silent,
    );
    try {
      const ready = await get(api, '/readyz');
      expect(ready.status).to.equal(503);
      expect((ready.body.error as { message: string }).message).to.equal(
        'not ready; failing checks: cassandra, schema (the schema could not be read (NoHostAvailableError))',
      );
    } finally {
      await api.close();
    }
  });

  it('is not ready when the keyspace does not exist, and says so', async () => {
    const unmigrated = testConfig();
    const api = await startApiServer(unmigrated, silent);
    try {
      const ready = await get(api, '/readyz');
      expect(ready.status).to.equal(503);
      const reason = `keyspace ${unmigrated.cassandra.keyspace} does not exist`;
      expect(ready.body.error).to.deep.equal({
        code: 'not_ready',
        message: `not ready; failing checks: schema (${reason})`,
        details: [
          { check: 'redis', ok: true },
          { check: 'cassandra', ok: true },
          { check: 'schema', ok: false, reason },
        ],
      });
    } finally {
      await api.close();
    }
  });

  it('is not ready when a table of the keyspace is missing, and names it', async () => {
    const damaged = testConfig();
    const ks = await migratedKeyspace(damaged);
    const api = await startApiServer(damaged, silent);
    try {
      await ks.client.execute(`DROP TABLE ${ks.keyspace}.completed_sessions_by_player`);
      const ready = await get(api, '/readyz');
      expect(ready.status).to.equal(503);
      expect((ready.body.error as { message: string }).message).to.equal(
        `not ready; failing checks: schema (keyspace ${ks.keyspace} lacks table(s) completed_sessions_by_player)`,
      );
    } finally {
      await api.close();
      await ks.drop();
    }
  });

  it('answers unknown routes with the error envelope', async () => {
    const api = await startApiServer(config, silent);
    try {
      const missing = await get(api, '/nope');
      expect(missing.status).to.equal(404);
      expect(missing.body).to.deep.equal({
        error: { code: 'not_found', message: 'no route for GET /nope', details: [] },
      });
      const wrongMethod = await fetch(`${api.url}/healthz`, { method: 'DELETE' });
      expect(wrongMethod.status).to.equal(405);
      expect(wrongMethod.headers.get('allow')).to.equal('HEAD, GET');
      expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).to.equal(
        'method_not_allowed',
      );
      // A method the server knows nothing of is the client's mistake too: 405, not 501.
      const unknownMethod = await fetch(`${api.url}/healthz`, { method: 'PROPFIND' });
      expect(unknownMethod.status).to.equal(405);
      expect(unknownMethod.headers.get('allow')).to.equal('HEAD, GET');
      await unknownMethod.body?.cancel();
      const unknownBoth = await fetch(`${api.url}/nowhere`, { method: 'PROPFIND' });
      expect(unknownBoth.status).to.equal(404);
      expect(unknownBoth.headers.get('allow')).to.equal(null);
      await unknownBoth.body?.cancel();
    } finally {
      await api.close();
    }
  });
});
