import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Random } from '../../ops/data/random.ts';
import { LocalCassandra } from '../../ops/lib/cassandra-local.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { postAll } from '../helpers/client.ts';
import { expectViewsMatch } from '../helpers/compare-views.ts';
import { testConfig } from '../helpers/env.ts';
import { ViewModel } from '../helpers/model.ts';
import { TestService } from '../helpers/service.ts';

/**
 * A Cassandra node of the test's own (127.0.0.2, commit log synced before acknowledging), killed
 * with SIGKILL and later stopped cleanly, each time restarted, in the middle of a load: jobs fail
 * while it is away, come back with backoff, and the views end exactly as the accepted events say.
 */
describe('a Cassandra crash and a Cassandra restart', function () {
  this.timeout(600_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-cassandra-'));
  const node = new LocalCassandra(testConfig(), () => undefined, {
    address: '127.0.0.2',
    dir,
    heapMb: 512,
    commitlogSync: 'group',
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

  it('loses no accepted event and counts none twice', async () => {
    const random = new Random(7);
    const model = new ViewModel();
    const batches = validAwkwardBatches(random, Date.now(), 1200);
    const load = postAll(() => service.api.url, batches, {
      concurrency: 2,
      onAccepted: (posted) => model.addAccepted(posted),
    });

    await new Promise((r) => setTimeout(r, 1500));
    process.kill(node.pid()!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 1000));
    const during = await service.get('/v1/countries/starts?hours=1');
    expect(during.status).to.equal(503);
    expect((during.body.error as { code: string }).code).to.equal('storage_unavailable');
    await node.start();

    await new Promise((r) => setTimeout(r, 1500));
    await node.stop();
    await node.start();

    await load;
    await service.drained(300_000);
    await expectViewsMatch((p) => service.get(p), model, 51);
  });
});
