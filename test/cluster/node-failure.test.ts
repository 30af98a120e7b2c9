import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Random } from '../../ops/data/random.ts';
import { LocalCassandraCluster } from '../../ops/lib/cassandra-cluster.ts';
import type { LocalCassandra } from '../../ops/lib/cassandra-local.ts';
import { pendingHintFiles } from '../../ops/lib/cassandra-ring.ts';
import { loadLocalSettings } from '../../ops/lib/local-settings.ts';
import { isAlive, waitFor } from '../../ops/lib/process.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { expectViewsMatch } from '../helpers/compare-views.ts';
import { testConfig } from '../helpers/env.ts';
import {
  ONE_QUEUE,
  TWO_QUEUES_FOUR_SHARDS,
  type QueueSetup,
  type StartedSetup,
} from '../helpers/queue-setups.ts';
import { TestService } from '../helpers/service.ts';
import { kinds, LiveTraffic, type Tally } from './live-traffic.ts';

const SEED = Number(
  process.argv.find((a) => a.startsWith('--seed='))?.slice(7) ?? Date.now() % 1_000_000,
);

/** The control connection's host: the node a driver learns the cluster's topology and schema from. */
function controlHost(service: TestService): string | undefined {
  const client = service.ks.client as unknown as {
    controlConnection?: { host?: { address: string } };
  };
  return client.controlConnection?.host?.address;
}

/**
 * The three-node local cluster (npm run test:cluster starts it; RF 3, every statement at
 * LOCAL_QUORUM) under live traffic through the API and two workers: one node SIGKILLed mid-load
 * and kept down while the load goes on, then restarted. Every POST must still be answered 202 and
 * every GET 200; once the node is back and the hints the others kept for it are delivered, both
 * views must equal the model of the accepted events exactly.
 */
describe('a three-node Cassandra cluster (RF 3) losing one node under live traffic', function () {
  this.timeout(900_000);
  const cluster = new LocalCassandraCluster(loadLocalSettings(), 3, () => undefined);
  let service: TestService | undefined;
  let started: StartedSetup | undefined;

  before(async () => {
    await cluster.start(); // reuses the nodes npm run test:cluster started
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed')
      console.error(`\n  cluster test seed: ${SEED} (rerun with --seed=${SEED})\n`);
    await service?.close().catch(() => undefined);
    service = undefined;
    await started?.stop();
    started = undefined;
    await cluster.start(); // a node a failed test left down
  });

  async function survivesTheLossOf(
    victim: LocalCassandra,
    controlOnVictim: boolean,
    seed: number,
    layout: QueueSetup = ONE_QUEUE,
  ) {
    started = await layout.start(testConfig().redis.url);
    // One contact point: every client's control connection is on the first node, and the driver
    // learns the other two from it.
    service = await TestService.start({
      workers: 2,
      overrides: {
        CASSANDRA_CONTACT_POINTS: cluster.nodes[0]!.contactPoint,
        CASSANDRA_REPLICATION_FACTOR: '3',
        JOB_BACKOFF_MS: '500',
        JOB_ATTEMPTS: '30',
        ...started.env,
      },
    });
    const replication = await service.ks.client.execute(
      'SELECT replication FROM system_schema.keyspaces WHERE keyspace_name = ?',
      [service.ks.keyspace],
    );
    expect(replication.rows[0]?.get('replication')).to.deep.include({
      class: 'org.apache.cassandra.locator.NetworkTopologyStrategy',
      datacenter1: '3',
    });

    const running = service;
    // Done jobs are removed at once: completions are counted from BullMQ's event stream.
    const done = () => running.completions.total();
    const traffic = new LiveTraffic(
      running,
      validAwkwardBatches(new Random(seed), Date.now(), 4000),
      {
        postIntervalMs: 80,
        readIntervalMs: 30,
      },
    );
    const phases: Record<string, unknown> = {};
    const survivors = cluster.nodes.filter((n) => n !== victim).map((n) => n.address);
    try {
      expect(await waitFor(() => done() >= 40, 120_000, 100)).to.be.true;
      expect(controlHost(running) === victim.contactPoint).to.equal(controlOnVictim);
      const pid = victim.pid()!;
      phases.before = traffic.phase();
      process.kill(pid, 'SIGKILL');
      expect(await waitFor(() => !isAlive(pid), 10_000, 50)).to.be.true;
      const killedAt = Date.now();
      if (controlOnVictim) {
        const moved = () => survivors.some((a) => controlHost(running) === `${a}:9042`);
        expect(await waitFor(moved, 30_000, 100), 'the control connection moves to a survivor').to
          .be.true;
      }
      const doneAtKill = done();

      // Down for a while: the failure detector convicts it, the others keep hints for it, and
      // batches keep being accepted and processed.
      const hinted = async () =>
        [...(await pendingHintFiles(survivors)).values()].some((files) => files > 0);
      expect(await waitFor(hinted, 60_000, 1000), 'the survivors keep hints for the dead node').to
        .be.true;
      expect(await waitFor(() => done() >= doneAtKill + 40, 120_000, 200)).to.be.true;
      await sleep(Math.max(0, 20_000 - (Date.now() - killedAt)));

      phases.down = traffic.phase();
      phases.downSeconds = Math.round((Date.now() - killedAt) / 1000);
      await victim.start();
      await cluster.waitUntilNormal();
      await sleep(5_000); // traffic with the node back, before its hints are all in
    } finally {
      await traffic.stop();
    }
    phases.after = traffic.phase();
    console.log(`      clients saw ${JSON.stringify(phases)}`);
    expect(kinds({ answers: traffic.answers }), JSON.stringify(phases)).to.deep.equal([
      'GET 200',
      'POST 202',
    ]);
    // The load went on while the node was down (a busy machine paces the clients down).
    expect((phases.down as Tally).answers['POST 202']).to.be.greaterThan(30);
    expect((phases.down as Tally).answers['GET 200']).to.be.greaterThan(30);

    await running.drained(300_000);
    expect(
      running.completions.perQueue().every((n) => n > 0),
      'batches on every queue',
    ).to.be.true;
    expect(
      await waitFor(async () => (await cluster.pendingHints()) === 0, 180_000, 1000),
      'every hint delivered',
    ).to.be.true;
    await expectViewsMatch((path) => running.get(path), traffic.model, 50);
  }

  it('answers every POST 202 and every GET 200 while a replica is down, and both views end exact once it is back', async () => {
    await survivesTheLossOf(cluster.nodes[2]!, false, SEED);
  });

  it('does the same when the dead node is the one every driver has its control connection on', async () => {
    await survivesTheLossOf(cluster.nodes[0]!, true, SEED + 1);
  });

  it('does the same over two queues on two Redis instances, with 4 shards of the start facts', async () => {
    await survivesTheLossOf(cluster.nodes[2]!, false, SEED + 2, TWO_QUEUES_FOUR_SHARDS);
  });
});
