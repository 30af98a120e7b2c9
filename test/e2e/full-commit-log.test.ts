import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { Random } from '../../ops/data/random.ts';
import { LocalCassandra } from '../../ops/lib/cassandra-local.ts';
import { loadLocalSettings } from '../../ops/lib/local-settings.ts';
import { isAlive, waitFor } from '../../ops/lib/process.ts';
import { LiveTraffic } from '../cluster/live-traffic.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { expectEveryAcceptedOnce } from '../helpers/accepted-once.ts';
import { TestService } from '../helpers/service.ts';
import { SmallDisk } from '../helpers/small-disk.ts';

/** A node of the test's own, beside the shared one, so that its commit log can sit on a small disk. */
const ADDRESS = '127.0.0.127';
const RETRIED =
  /^batch_job_failures_total\{reason="storage_unavailable",result="retry"[^}]*\} (\d+)$/m;

/**
 * Cassandra's commit log on a small disk of its own (a tmpfs), filled under live traffic. The
 * node maps its commit-log segments into memory; on a full tmpfs the next write into a segment
 * page faults, and the JVM dies of SIGBUS (its commit_failure_policy never runs). What must hold
 * is the service's side: POSTs go on answering 202 (the queue is Redis), jobs are retried while
 * the node cannot write, the retries show in /metrics (the StoreWritesRetried alert), and once
 * space is freed and the node restarted every accepted batch is in both views exactly once.
 */
describe('a full commit-log disk under Cassandra, under live traffic', function () {
  this.timeout(600_000);

  it('retries the jobs while Cassandra cannot write, and loses nothing once it can again', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-cassandra-'));
    const disk = await SmallDisk.mount(40, path.join(dir, 'data', 'commitlog'));
    if (!disk) return this.skip(); // not root here: README names the nearest test
    const node = new LocalCassandra(loadLocalSettings(), () => undefined, {
      address: ADDRESS,
      dir,
      heapMb: 512,
    });
    let service: TestService | undefined;
    let traffic: LiveTraffic | undefined;
    try {
      await node.start();
      service = await TestService.start({
        workers: 1,
        overrides: {
          CASSANDRA_CONTACT_POINTS: node.contactPoint,
          JOB_BACKOFF_MS: '500',
          JOB_ATTEMPTS: '40',
        },
      });
      const svc = service;
      const retried = async () =>
        Number(RETRIED.exec(await (await fetch(`${svc.api.url}/metrics`)).text())?.[1] ?? 0);
      traffic = new LiveTraffic(svc, validAwkwardBatches(new Random(127), Date.now(), 6000), {
        postIntervalMs: 30,
        readIntervalMs: 200,
      });
      const live = traffic;
      const accepted = () => live.answers['POST 202'] ?? 0;
      expect(await waitFor(() => accepted() >= 20, 60_000, 50), 'accepted before').to.be.true;

      disk.fill();
      const pid = node.pid();
      expect(
        await waitFor(() => pid === undefined || !isAlive(pid), 120_000, 200),
        'the node stops',
      ).to.be.true;
      expect(await waitFor(async () => (await retried()) > 0, 60_000, 500), 'jobs retried').to.be
        .true;
      const during = accepted();
      expect(await waitFor(() => accepted() > during + 20, 60_000, 50), 'POSTs go on').to.be.true;

      disk.free();
      await node.start();
      const after = accepted();
      expect(await waitFor(() => accepted() > after + 20, 120_000, 50), 'accepted after').to.be
        .true;
      await live.stop();

      const posts = Object.keys(live.answers).filter((k) => k.startsWith('POST'));
      expect(posts, 'what POSTs got').to.deep.equal(['POST 202']);
      await expectEveryAcceptedOnce(svc, live, 300_000);
    } finally {
      await traffic?.stop();
      await service?.close().catch(() => undefined);
      await node.stop();
      await disk.unmount();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
