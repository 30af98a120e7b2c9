import { expect } from 'chai';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { pipelineSummary } from '../../../src/observability/pipeline-summary.ts';

describe('the pipeline summary', () => {
  it('counts zero and has no times before any metric is registered', async () => {
    expect(pipelineSummary(await new Registry().getMetricsAsJSON())).to.deep.equal({
      eventsAccepted: 0,
      eventsProcessed: 0,
      backlogJobs: 0,
      failedJobs: 0,
      endToEnd: { batches: 0, meanSeconds: null, p95Seconds: null },
    });
  });

  it('sums events over kinds, splits jobs into backlog and failed, and reads end-to-end time', async () => {
    const registers = [new Registry()];
    new Counter({ name: 'events_accepted_total', help: 'h', registers }).inc(7);
    const processed = new Counter({
      name: 'events_processed_total',
      help: 'h',
      labelNames: ['kind'],
      registers,
    });
    processed.inc({ kind: 'start' }, 4);
    processed.inc({ kind: 'end' }, 2);
    const jobs = new Gauge({ name: 'queue_jobs', help: 'h', labelNames: ['state'], registers });
    jobs.set({ state: 'waiting' }, 3);
    jobs.set({ state: 'delayed' }, 1);
    jobs.set({ state: 'active' }, 2);
    jobs.set({ state: 'failed' }, 5);
    const e2e = new Histogram({
      name: 'batch_end_to_end_seconds',
      help: 'h',
      buckets: [0.1, 0.5, 1, 5],
      registers,
    });
    for (const seconds of [...Array<number>(19).fill(0.05), 2]) e2e.observe(seconds);

    const summary = pipelineSummary(await registers[0]!.getMetricsAsJSON());
    expect(summary).to.deep.include({
      eventsAccepted: 7,
      eventsProcessed: 6,
      backlogJobs: 4,
      failedJobs: 5,
    });
    expect(summary.endToEnd.batches).to.equal(20);
    expect(summary.endToEnd.meanSeconds).to.be.closeTo((19 * 0.05 + 2) / 20, 1e-9);
    // 19 of 20 batches (95 %) took at most 0.1 s.
    expect(summary.endToEnd.p95Seconds).to.equal(0.1);
  });
});
