import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Random } from '../../ops/data/random.ts';
import { LocalCassandra } from '../../ops/lib/cassandra-local.ts';
import { loadLocalSettings } from '../../ops/lib/local-settings.ts';
import { isAlive, waitFor } from '../../ops/lib/process.ts';
import { schemaStatus } from '../../src/storage/migrator.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { postAll } from '../helpers/client.ts';
import { expectViewsMatch } from '../helpers/compare-views.ts';
import { ViewModel } from '../helpers/model.ts';
import { TestService } from '../helpers/service.ts';

/**
 * The local Cassandra exactly as `npm start` runs it — same JVM options, same cassandra.yaml; only
 * its address, directory and heap are the test's own — SIGKILLed in the middle of live traffic,
 * shortly after its keyspace was created (so the schema, too, exists only in what the node wrote
 * before dying), then restarted; later stopped cleanly and restarted, still mid-load. Jobs fail
 * while it is away and come back with backoff; afterwards the schema is in place and both views
 * equal what the accepted events imply — including the batches that were done before the crash.
 */
describe('a crash of the local Cassandra, configured as npm start runs it', function () {
  this.timeout(600_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-cassandra-'));
  const node = new LocalCassandra(loadLocalSettings(), () => undefined, {
    address: '127.0.0.2',
    dir,
    heapMb: 512,
  });
  let service: TestService;

  before(async () => {
    await node.start();
    service = await TestService.start({
      overrides: {
        CASSANDRA_CONTACT_POINTS: node.contactPoint,
        JOB_BACKOFF_MS: '500',
        JOB_ATTEMPTS: '30',
      },
    });
  });
  after(async () => {
    await service.close().catch(() => undefined);
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps its schema and every acknowledged write through SIGKILL and a restart, and the views end exact', async () => {
    const random = new Random(7);
    const model = new ViewModel();
    const batches = validAwkwardBatches(random, Date.now(), 1500);
    const load = postAll(service.api.url, batches, {
      concurrency: 2,
      onAccepted: (posted) => model.addAccepted(posted),
    });

    // Acknowledged writes must exist before the crash: batches the workers have finished.
    expect(await waitFor(() => service.completions.total() >= 60, 60_000, 100)).to.be.true;
    const pid = node.pid()!;
    process.kill(pid, 'SIGKILL');
    expect(await waitFor(() => !isAlive(pid), 10_000, 50)).to.be.true;

    const during = await service.get('/v1/countries/starts?hours=1');
    expect(during.status).to.equal(503);
    expect((during.body.error as { code: string }).code).to.equal('storage_unavailable');
    await node.start();
    // Once the client is reconnected, the schema is there as it was.
    let status = await schemaStatus(service.ks.client, service.ks.keyspace);
    await waitFor(
      async () => {
        status = await schemaStatus(service.ks.client, service.ks.keyspace);
        return status.ok || status.cause !== 'unreachable';
      },
      30_000,
      200,
    );
    expect(status).to.deep.equal({ ok: true });

    expect(await waitFor(() => service.completions.total() >= 120, 120_000, 100)).to.be.true;
    await node.stop();
    await node.start();

    await load;
    await service.drained(300_000);
    // The workers drained through their own connections; the API's may still be reconnecting to
    // the restarted node, and answers 503 until it has (a correct answer, not the one compared).
    const reads = () => service.get('/v1/countries/starts?hours=1');
    expect(await waitFor(async () => (await reads()).status === 200, 60_000, 250)).to.be.true;
    await expectViewsMatch((p) => service.get(p), model, 51);
  });
});
