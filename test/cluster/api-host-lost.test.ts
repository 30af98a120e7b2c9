import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Random } from '../../ops/data/random.ts';
import { LocalCassandraCluster } from '../../ops/lib/cassandra-cluster.ts';
import { freePort } from '../../ops/lib/free-port.ts';
import { waitFor } from '../../ops/lib/process.ts';
import { loadLocalSettings } from '../../ops/lib/local-settings.ts';
import { ServiceProcess } from '../../ops/lib/service-process.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { postAll } from '../helpers/client.ts';
import { expectViewsMatch } from '../helpers/compare-views.ts';
import { ViewModel } from '../helpers/model.ts';
import { TestService } from '../helpers/service.ts';

/**
 * The API host lost: the API process SIGKILLed mid-load (requests in flight die with it) and a
 * replacement started on the same address a few seconds later. Clients retry with their
 * Idempotency-Key, as the contract asks; nothing the dead API had accepted is lost — it was in
 * Redis — nothing is queued twice, and the workers never stop.
 */
describe('the API host lost under live traffic on the three-node cluster', function () {
  this.timeout(600_000);
  const cluster = new LocalCassandraCluster(loadLocalSettings(), 3, () => undefined);
  let service: TestService | undefined;
  let api: ServiceProcess | undefined;

  before(async () => {
    await cluster.start();
  });
  after(async () => {
    api?.kill('SIGKILL');
    await service?.close();
  });

  it('loses no accepted batch, queues none twice, and ends with both views exact', async () => {
    service = await TestService.start({
      workers: 2,
      overrides: {
        CASSANDRA_CONTACT_POINTS: cluster.contactPoints.join(','),
        CASSANDRA_REPLICATION_FACTOR: '3',
      },
    });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      PORT: String(port),
      HOST: '127.0.0.1',
      REDIS_URL: service.config.redis.url,
      CASSANDRA_CONTACT_POINTS: cluster.contactPoints.join(','),
      CASSANDRA_REPLICATION_FACTOR: '3',
      CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
      QUEUE_PREFIX: service.config.queue.prefix,
    };
    api = await ServiceProcess.start('web', env);
    const model = new ViewModel();
    const batches = validAwkwardBatches(new Random(1313), Date.now(), 1500);
    let accepted = 0;
    const load = postAll(url, batches, {
      concurrency: 4,
      onAccepted: (posted) => {
        accepted++;
        model.addAccepted(posted);
      },
    });
    while (accepted < 60) await sleep(20);
    api.kill('SIGKILL');
    expect((await api.exited).signal).to.equal('SIGKILL');
    await sleep(3000);
    api = await ServiceProcess.start('web', env);
    const { retries } = await load;

    expect(accepted).to.equal(batches.length);
    expect(retries, 'clients met the dead API and retried').to.be.greaterThan(0);
    await service.drained(300_000);
    expect((await service.queue.getJobCounts('failed')).failed).to.equal(0);
    // Done jobs are removed at once: BullMQ's event stream tells how often each one completed.
    const ran = service.completions;
    expect(await waitFor(() => ran.total() >= batches.length, 10_000, 50)).to.be.true;
    await sleep(300); // a batch queued twice would complete again by now
    expect(ran.total(), 'jobs completed, one per batch').to.equal(batches.length);
    console.log(
      `      ${batches.length} batches, ${retries} client retries while the API was away`,
    );
    await expectViewsMatch((path) => service!.get(path), model, 50);
  });
});
