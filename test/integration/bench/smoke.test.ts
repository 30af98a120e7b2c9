import { expect } from 'chai';
import { PROFILES } from '../../../ops/bench/profiles.ts';
import { renderReport } from '../../../ops/bench/report.ts';
import { renderLifecycle } from '../../../ops/bench/lifecycle-report.ts';
import { renderBulk } from '../../../ops/bench/bulk-report.ts';
import {
  runBenchmark,
  runBulkOnly,
  runLifecycleOnly,
  runReadsUnderIngestOnly,
} from '../../../ops/bench/run.ts';
import { renderUnderIngest } from '../../../ops/bench/under-ingest-report.ts';
import { uniqueName } from '../../helpers/env.ts';

/**
 * `npm run bench` is not part of the suite (it runs for many minutes and its figures depend on
 * the machine); this runs every one of its code paths on tiny inputs, with real processes, so a
 * change that breaks the benchmark breaks a test. It asserts what holds on any machine, however
 * busy — every phase ran and measured something, nothing was lost or refused — never a speed.
 */
/** A run of its own keyspace and queue, printing nothing. */
const quietRun = () => ({
  say: () => undefined,
  keyspace: uniqueName('bench'),
  queuePrefix: uniqueName('bench'),
});

describe('benchmark (smoke profile)', function () {
  this.timeout(180_000);

  it('runs every phase against real processes and reports every figure', async () => {
    const lines: string[] = [];
    const result = await runBenchmark(PROFILES.smoke, {
      say: (line) => lines.push(line),
      keyspace: uniqueName('bench'),
      queuePrefix: uniqueName('bench'),
    });
    expect(result.post).to.have.length(1);
    expect(result.post[0]!.count).to.be.greaterThan(0);
    expect(result.post[0]!.failed).to.equal(0);
    const cost = result.cost;
    expect(cost.events).to.be.greaterThan(0);
    expect(cost.failed).to.equal(0);
    const parts = Object.values(cost.cpuMsPerEvent);
    expect(Object.keys(cost.cpuMsPerEvent)).to.have.members([
      'api',
      'worker',
      'redis',
      'cassandra',
    ]);
    // Redis and Cassandra may run where /proc cannot see them (null, "n/a"); the bench's own
    // processes never do.
    expect(cost.cpuMsPerEvent.api).to.be.a('number');
    expect(cost.cpuMsPerEvent.worker).to.be.a('number');
    const known = parts.filter((ms) => ms !== null);
    for (const ms of [...known, cost.cpuMsPerEventSum, cost.loadGeneratorCpuMsPerEvent]) {
      expect(ms).to.be.a('number').and.satisfy(Number.isFinite).and.at.least(0);
    }
    const sum = parts.reduce<number>((a, b) => a + (b ?? 0), 0);
    expect(cost.cpuMsPerEventSum).to.be.closeTo(sum, 1e-9);
    expect(cost.statementsPerEvent).to.be.greaterThan(0);
    expect(Object.keys(cost.writesPerEvent)).to.not.be.empty;
    expect(cost.cqlRequestsPerEvent).to.be.a('number').and.satisfy(Number.isFinite).and.above(0);
    // Whether 100 events/s is sustained depends on the machine: only that the step ran and was judged.
    expect(result.ingest.steps).to.have.length(1);
    expect(result.ingest.steps[0]!.offeredEventsPerSecond).to.equal(100);
    expect(result.ingest.steps[0]!.acceptedEventsPerSecond).to.be.greaterThan(0);
    expect(result.ingest.maxSustainedEventsPerSecond).to.be.oneOf([0, 100]);
    expect(result.freshness.count).to.be.greaterThan(0);
    expect(result.freshness.p99).to.be.greaterThan(0);
    expect(result.stored).to.deep.include({ events: 400, accepted: 400, lost: 0 });
    expect(result.gets.map((g) => g.endpoint)).to.include('GET /v1/countries/starts?hours=8760');
    expect(result.gets.every((g) => g.failed === 0 && g.count > 0)).to.be.true;
    expect(result.raw.events).to.equal(400);
    expect(result.memoryMiB['GET latency']?.api).to.be.greaterThan(20);
    const report = renderReport(result);
    expect(report).to.match(/Freshness at \d+ events\/s/);
    expect(report).to.match(/end-to-end ÷ raw = \d+ %/);
    expect(report).to.match(/Cost per event at 100 events\/s/);
    expect(report).to.match(/\| total statements\/event +\| \d+\.\d{3}/);
    expect(lines.some((l) => l.includes('== GET latency'))).to.be.true;
  });

  it('runs the data lifecycle: bulk import, a rebuild of each view under reads, export, and a restore whose views equal the source', async () => {
    const result = await runLifecycleOnly(PROFILES.smoke, quietRun());
    const l = result.lifecycle;
    for (const seconds of [l.bulkSeconds, l.exportSeconds, l.restoreSeconds])
      expect(seconds).to.be.above(0);
    expect(l.exportBytes).to.be.above(0);
    expect(l.rebuilds.map((r) => r.view)).to.deep.equal(['completed-sessions', 'start-counts']);
    for (const rebuild of l.rebuilds) {
      expect(rebuild.seconds).to.be.above(0);
      expect(rebuild.gets.count).to.be.above(0);
      expect(rebuild.gets.failed).to.equal(0);
    }
    // Five all-country windows and every sampled player, read through both services.
    expect(l.compared).to.be.above(5);
    expect(l.differing).to.equal(0);
    expect(renderLifecycle(l)).to.match(/\d+ views compared, 0 differing/);
  });

  it('times the bulk import on a warmed-up node and accounts every process, the loader apart', async () => {
    const result = await runBulkOnly(PROFILES.smoke, quietRun());
    const b = result.bulk;
    expect(b.events).to.equal(PROFILES.smoke.stored.events);
    expect(b.seconds).to.be.above(0);
    expect(b.warmUp.ms).to.be.above(0);
    for (const process of ['api', 'worker', 'cassandra'])
      expect(b.cpuMsPerEvent[process], process).to.be.above(0);
    expect(b.loaderCpuMsPerEvent).to.be.above(0);
    expect(b.statementsPerEvent).to.be.above(0);
    expect(renderBulk(b)).to.match(/Bulk import of 400 events .*: \d+\.\d s = [\d,]+ events\/s/);
  });

  it('measures GETs and live POSTs side by side, every request answered', async () => {
    const result = await runReadsUnderIngestOnly(PROFILES.smoke, quietRun());
    const u = result.underIngest;
    expect(u.get.count).to.be.above(0);
    expect(u.post.count).to.be.above(0);
    expect([u.get.failed, u.post.failed]).to.deep.equal([0, 0]);
    expect(renderUnderIngest(u)).to.match(/\| GET +\| \d+ +\| \d+\.\d/);
  });
});
