import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Random } from '../../ops/data/random.ts';
import { LocalCassandraCluster } from '../../ops/lib/cassandra-cluster.ts';
import { loadLocalSettings } from '../../ops/lib/local-settings.ts';
import { isAlive, waitFor } from '../../ops/lib/process.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { expectViewsMatch } from '../helpers/compare-views.ts';
import { TestService } from '../helpers/service.ts';
import { kinds, LiveTraffic, type Tally } from './live-traffic.ts';

/**
 * Two of the three nodes SIGKILLed at once under live traffic: LOCAL_QUORUM needs two replicas,
 * so no read or write can succeed. What clients see is measured here (and written in the README's
 * failure table): batches are still accepted — the queue is Redis — while reads are refused with
 * 503 storage_unavailable; workers retry their jobs with backoff, and once both nodes are back
 * every accepted batch is processed and both views are exact.
 */
describe('a three-node Cassandra cluster (RF 3) losing two nodes under live traffic', function () {
  this.timeout(900_000);
  const cluster = new LocalCassandraCluster(loadLocalSettings(), 3, () => undefined);
  let service: TestService | undefined;

  before(async () => {
    await cluster.start();
  });
  after(async () => {
    await service?.close().catch(() => undefined);
    await cluster.start();
  });

  it('accepts every batch but answers reads 503 storage_unavailable, and ends exact once the nodes are back', async () => {
    service = await TestService.start({
      workers: 2,
      overrides: {
        CASSANDRA_CONTACT_POINTS: cluster.contactPoints.join(','),
        CASSANDRA_REPLICATION_FACTOR: '3',
        JOB_BACKOFF_MS: '500',
        JOB_ATTEMPTS: '30',
      },
    });
    const running = service;
    // Done jobs are removed at once: completions are counted from BullMQ's event stream.
    const counts = async () => {
      const { delayed = 0, failed = 0 } = await running.queue.getJobCounts('delayed', 'failed');
      return { completed: running.completions.total(), delayed, failed };
    };
    const traffic = new LiveTraffic(
      running,
      validAwkwardBatches(new Random(13), Date.now(), 6000),
      {
        postIntervalMs: 80,
        readIntervalMs: 30,
      },
    );
    const phases: Record<string, unknown> = {};
    const victims = cluster.nodes.slice(1);
    try {
      expect(await waitFor(() => running.completions.total() >= 40, 120_000, 100)).to.be.true;
      phases.before = traffic.phase();
      const pids = victims.map((v) => v.pid()!);
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      expect(await waitFor(() => pids.every((p) => !isAlive(p)), 10_000, 50)).to.be.true;
      const killedAt = Date.now();
      // Until the survivor's failure detector convicts them, it still sends to the dead nodes and
      // requests time out; after, it refuses them at once as unavailable. Measure past both.
      await sleep(25_000);
      phases.down = traffic.phase();
      phases.downSeconds = Math.round((Date.now() - killedAt) / 1000);
      phases.jobsWhileDown = await counts();
      // One node back: two replicas again, but only once the second is back are all three.
      for (const victim of victims) await victim.start();
      await cluster.waitUntilNormal();
      phases.restarting = traffic.phase();
      await sleep(10_000);
    } finally {
      await traffic.stop();
    }
    phases.after = traffic.phase();
    console.log(`      clients saw ${JSON.stringify(phases)}`);
    const down = phases.down as Tally;
    expect(kinds(down), JSON.stringify(down)).to.include.members([
      'POST 202',
      'GET 503 storage_unavailable',
    ]);
    expect(kinds(down).filter((k) => k.startsWith('POST'))).to.deep.equal(['POST 202']);
    const after = kinds(phases.after as Tally);
    expect(after, JSON.stringify(phases.after)).to.include('GET 200');
    expect(after.filter((k) => k !== 'GET 200' && k !== 'POST 202')).to.deep.equal([]);
    expect((phases.jobsWhileDown as Record<string, number>).delayed).to.be.greaterThan(0);

    await running.drained(300_000);
    expect((await counts()).failed).to.equal(0);
    expect(await waitFor(async () => (await cluster.pendingHints()) === 0, 180_000, 1000)).to.be
      .true;
    await expectViewsMatch((path) => running.get(path), traffic.model, 50);
  });
});
