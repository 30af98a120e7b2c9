import { expect } from 'chai';
import { Queue } from 'bullmq';
import { createKey } from '../../ops/lib/api-keys.ts';
import { freePort } from '../../ops/lib/free-port.ts';
import { queueDrained } from '../../ops/lib/queue-drained.ts';
import { ServiceProcess } from '../../ops/lib/service-process.ts';
import { ApiKeys } from '../../src/storage/api-keys.ts';
import { migratedKeyspace, type TestKeyspace } from '../helpers/cassandra.ts';
import { postPersistently } from '../helpers/client.ts';
import { testConfig, processEnv } from '../helpers/env.ts';
import { endEvent, startEvent } from '../helpers/events.ts';
import { bullConnection, workerRedisOptions } from '../../src/queue/redis-connections.ts';

/**
 * The whole flow as deployed, keys on: the Procfile's compiled API and worker with AUTH=on and
 * rate limits, a game server posting with an ingest key (through the loader's client), a
 * dashboard reading with a read key.
 */
describe('API keys end to end (Procfile processes, AUTH=on)', function () {
  this.timeout(180_000);
  const config = testConfig();
  let ks: TestKeyspace;
  let queue: Queue;
  const running: ServiceProcess[] = [];

  before(async () => {
    ks = await migratedKeyspace(config);
    queue = new Queue(config.queue.name, {
      connection: bullConnection(config.redis, workerRedisOptions()),
      prefix: config.queue.prefix,
    });
  });
  after(async () => {
    for (const p of running) p.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await queue.obliterate({ force: true });
    await queue.close();
    await ks.drop();
  });

  it('takes batches posted with an ingest key and answers the views to a read key only', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      ...processEnv(config, port),
      AUTH: 'on',
      RATE_LIMIT: 'on',
    };
    running.push(await ServiceProcess.start('web', env), await ServiceProcess.start('worker', env));
    const store = new ApiKeys(ks.client, ks.keyspace);
    const ingest = (await createKey(store, 'game-eu', ['ingest'])).key;
    const read = (await createKey(store, 'dashboard', ['read'])).key;

    const now = Date.now();
    const sessions = Array.from({ length: 5 }, (_, i) => [
      startEvent(`s-e2e-key-${i}`, 'p-e2e-key', 'FI', now - (i + 2) * 60_000),
      endEvent(`s-e2e-key-${i}`, 'p-e2e-key', now - (i + 1) * 60_000),
    ]);
    for (const batch of sessions) {
      const outcome = await postPersistently(url, batch, { apiKey: ingest });
      expect(outcome.kind).to.equal('accepted');
    }
    const refused = await postPersistently(url, sessions[0]!, { apiKey: read });
    expect(refused).to.deep.include({ kind: 'lost', reason: 'HTTP 403 forbidden' });
    await queueDrained(queue, 60_000);

    const view = await fetch(`${url}/v1/players/p-e2e-key/sessions`, {
      headers: { authorization: `Bearer ${read}` },
    });
    const body = (await view.json()) as { sessions: unknown[] };
    expect(view.status).to.equal(200);
    expect(body.sessions).to.have.length(5);
    const withIngestKey = await fetch(`${url}/v1/players/p-e2e-key/sessions`, {
      headers: { authorization: `Bearer ${ingest}` },
    });
    await withIngestKey.arrayBuffer();
    expect(withIngestKey.status).to.equal(403);
    expect(view.headers.get('ratelimit-limit')).to.equal('1000');
  });
});
