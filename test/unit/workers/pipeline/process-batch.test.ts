import { expect } from 'chai';
import cassandra from 'cassandra-driver';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { SessionEvent } from '../../../../src/domain/events.ts';
import { toWire } from '../../../../src/queue/events-queue.ts';
import { pipelineMetrics } from '../../../../workers/pipeline/pipeline-metrics.ts';
import { createProcessBatch } from '../../../../workers/pipeline/process-batch.ts';

const now = Date.UTC(2026, 11, 2, 12);
const event = (sessionId: string): SessionEvent => ({
  kind: 'start',
  sessionId,
  playerId: 'p',
  country: 'FI',
  ts: now - 1000,
});
const job = (...ids: string[]) => ({
  data: { events: ids.map((id) => toWire(event(id))), acceptedAt: now },
});

function processorWith(
  run: (events: SessionEvent[]) => Promise<void>,
  rollUp: () => Promise<void> = () => Promise.resolve(),
) {
  return createProcessBatch({
    microBatch: (events) => run(events).then(() => new Map()),
    rollUp,
    retentionMs: 365 * 86_400_000,
    now: () => now,
    logger: pino({ level: 'silent' }),
    metrics: pipelineMetrics(new Registry()),
    lingerMs: 10,
    maxEvents: 1000,
    maxRunning: 2,
  });
}

describe('a batch job through the pipeline', () => {
  it('processes the jobs it holds at once in one micro-batch', async () => {
    const runs: string[][] = [];
    const process = processorWith((events) =>
      Promise.resolve(void runs.push(events.map((e) => e.sessionId))),
    );
    await Promise.all([process(job('a', 'b')), process(job('c'))]);
    expect(runs).to.deep.equal([['a', 'b', 'c']]);
  });

  it('fails only the poison job of a shared micro-batch: its companions run again alone and complete', async () => {
    const runs: string[][] = [];
    const process = processorWith((events) => {
      runs.push(events.map((e) => e.sessionId));
      const poison = events.some((e) => e.sessionId === 'poison');
      return poison ? Promise.reject(new TypeError('a bug')) : Promise.resolve();
    });
    const results = await Promise.allSettled([
      process(job('a')),
      process(job('poison')),
      process(job('b')),
    ]);
    expect(results.map((r) => r.status)).to.deep.equal(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).to.be.instanceOf(TypeError);
    expect(runs.slice(1).sort()).to.deep.equal([['a'], ['b'], ['poison']]);
  });

  it('fails every job of a micro-batch that met an outage, with the outage, for BullMQ to retry', async () => {
    let runs = 0;
    const outage = new cassandra.errors.OperationTimedOutError('the node did not answer');
    const process = processorWith(() => {
      runs++;
      return Promise.reject(outage);
    });
    const results = await Promise.allSettled([process(job('a')), process(job('b'))]);
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).to.equal(outage);
    expect(runs, 'no job is run again alone').to.equal(1);
  });

  it('completes a job only once the rollup of its seconds has, and fails it with the rollup', async () => {
    const order: string[] = [];
    let failRollUp = false;
    const process = processorWith(
      () => (order.push('write'), Promise.resolve()),
      () => {
        order.push('roll up');
        return failRollUp ? Promise.reject(new Error('no rollup')) : Promise.resolve();
      },
    );
    await process(job('a'));
    expect(order).to.deep.equal(['write', 'roll up']);
    failRollUp = true;
    let error: unknown;
    await process(job('b')).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.equal('no rollup');
  });

  it('does not run a job whose events all left the retention', async () => {
    let runs = 0;
    const process = processorWith(() => {
      runs++;
      return Promise.resolve();
    });
    await process({
      data: { events: [toWire({ ...event('old'), ts: now - 400 * 86_400_000 })], acceptedAt: now },
    });
    expect(runs).to.equal(0);
  });
});
