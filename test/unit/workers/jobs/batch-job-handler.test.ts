import { DelayedError, UnrecoverableError } from 'bullmq';
import cassandra from 'cassandra-driver';
import { expect } from 'chai';
import pino from 'pino';
import { Registry } from 'prom-client';
import { UnknownRecordVersionError, type DoneRecord } from '../../../../src/queue/batch-records.ts';
import type { ReplicaAck } from '../../../../src/queue/replica-ack.ts';
import { UnknownPayloadVersionError } from '../../../../workers/pipeline/decode.ts';
import {
  createBatchJobHandler,
  jobHandlerMetrics,
  type HandledJob,
} from '../../../../workers/jobs/batch-job-handler.ts';

const job = (log: string[], attemptsMade = 0, fingerprint?: string): HandledJob => ({
  id: 'b1',
  data: {
    events: [['start', 's', 'p', 1, 'FI']],
    acceptedAt: 1,
    ...(fingerprint === undefined ? {} : { fingerprint }),
  },
  attemptsMade,
  opts: { attempts: 3 },
  moveToDelayed: (until: number) => (log.push(`delayed ${until > Date.now()}`), Promise.resolve()),
});

function handlerWith(
  log: string[],
  process: () => Promise<void>,
  missingSchema = false,
  record: () => Promise<DoneRecord | undefined> = () => Promise.resolve(undefined),
  replicas?: ReplicaAck,
) {
  const registry = new Registry();
  const handle = createBatchJobHandler({
    processBatch: () => (log.push('process'), process()),
    records: {
      markDone: (id) => (log.push(`done ${id}`), Promise.resolve()),
      read: (id) => (log.push(`read ${id}`), record()),
    },
    replicas,
    guard: { confirmMissing: () => (log.push('confirm missing'), Promise.resolve(missingSchema)) },
    logger: pino({ level: 'silent' }),
    metrics: jobHandlerMetrics(registry),
    schemaRecheckMs: 5000,
    newerPayloadDelayMs: 5000,
  });
  return { handle, registry };
}

const samplesOf = async (registry: Registry) =>
  (await registry.getSingleMetricAsString('batch_job_failures_total'))
    .split('\n')
    .filter((l) => !l.startsWith('#') && l.trim() !== '');
/** The label sets counted at least once (every known one is there from the start, at 0). */
const failuresOf = async (registry: Registry) =>
  (await samplesOf(registry)).filter((l) => !l.endsWith(' 0'));

describe('the batch job handler', () => {
  it('starts every failure label set it can count at zero, retry only for reasons it retries', async () => {
    const { registry } = handlerWith([], () => Promise.resolve());
    const samples = await samplesOf(registry);
    expect(samples).to.include(
      'batch_job_failures_total{reason="storage_unavailable",result="retry"} 0',
    );
    expect(samples).to.include('batch_job_failures_total{reason="bug",result="failed"} 0');
    expect(samples.filter((l) => l.includes('reason="bug"'))).to.have.length(1);
    expect(samples).to.include(
      'batch_job_failures_total{reason="newer_payload",result="requeued"} 0',
    );
    expect(samples).to.have.length(13);
  });

  it('records the batch done only after the pipeline has processed it', async () => {
    const log: string[] = [];
    const { handle } = handlerWith(log, () => Promise.resolve());
    await handle(job(log));
    expect(log).to.deep.equal(['process', 'done b1']);
  });

  it('drops a keyed job whose batch is already done, without running it or writing its record again', async () => {
    const log: string[] = [];
    const first = { accepted: 1, fingerprint: 'first-body', rejected: [] };
    const { handle, registry } = handlerWith(
      log,
      () => Promise.resolve(),
      false,
      () => Promise.resolve(first),
    );
    await handle(job(log, 0, 'another-body'));
    expect(log).to.deep.equal(['read b1']);
    expect(await registry.getSingleMetricAsString('batch_processing_duration_seconds')).to.include(
      'batch_processing_duration_seconds_count{result="already_done"} 1',
    );
  });

  it('has the replicas confirm a record it found before dropping the job, when acks are on', async () => {
    const log: string[] = [];
    const replicas: ReplicaAck = {
      confirm: async (work) => {
        const result = await work();
        log.push('replicas hold it');
        return result;
      },
    };
    const first = { accepted: 1, fingerprint: 'first-body', rejected: [] };
    const { handle } = handlerWith(
      log,
      () => Promise.resolve(),
      false,
      () => Promise.resolve(first),
      replicas,
    );
    await handle(job(log, 0, 'another-body'));
    expect(log).to.deep.equal(['read b1', 'read b1', 'replicas hold it']);
  });

  it('runs a keyed job whose batch has no record yet, then records it done', async () => {
    const log: string[] = [];
    const { handle } = handlerWith(log, () => Promise.resolve());
    await handle(job(log, 0, 'a-body'));
    expect(log).to.deep.equal(['read b1', 'process', 'done b1']);
  });

  it("counts a newer release's record as done: that batch is not run again", async () => {
    const log: string[] = [];
    const { handle } = handlerWith(
      log,
      () => Promise.resolve(),
      false,
      () => Promise.reject(new UnknownRecordVersionError(2)),
    );
    await handle(job(log, 0, 'a-body'));
    expect(log).to.deep.equal(['read b1']);
  });

  it('throws an outage on for BullMQ to retry, counted as a retry, and records nothing', async () => {
    const log: string[] = [];
    const outage = new cassandra.errors.OperationTimedOutError('no answer');
    const { handle, registry } = handlerWith(log, () => Promise.reject(outage));
    let error: unknown;
    await handle(job(log)).catch((err: unknown) => (error = err));
    expect(error).to.equal(outage);
    expect(log).to.deep.equal(['process']);
    expect(await failuresOf(registry)).to.deep.equal([
      'batch_job_failures_total{reason="storage_unavailable",result="retry"} 1',
    ]);
  });

  it('counts an outage on the last attempt as failed', async () => {
    const log: string[] = [];
    const outage = new cassandra.errors.OperationTimedOutError('no answer');
    const { handle, registry } = handlerWith(log, () => Promise.reject(outage));
    await handle(job(log, 2)).catch(() => undefined);
    expect(await failuresOf(registry)).to.deep.equal([
      'batch_job_failures_total{reason="storage_unavailable",result="failed"} 1',
    ]);
  });

  it('fails a bug at once, unrecoverably, without a retry', async () => {
    const log: string[] = [];
    const { handle } = handlerWith(log, () => Promise.reject(new TypeError('oops')));
    let error: unknown;
    await handle(job(log)).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(UnrecoverableError);
    expect((error as Error).message).to.equal('bug: oops');
  });

  it('gives a job that met a missing schema back to the queue, without spending an attempt', async () => {
    const log: string[] = [];
    const missing: Error = new cassandra.errors.ResponseError(
      cassandra.types.responseErrorCodes.invalid,
      'table x does not exist',
    );
    const { handle } = handlerWith(log, () => Promise.reject(missing), true);
    let error: unknown;
    await handle(job(log)).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(DelayedError);
    expect(log).to.deep.equal(['process', 'confirm missing', 'delayed true']);
  });

  it('leaves a job of a newer payload version waiting, without failing it or spending an attempt', async () => {
    const log: string[] = [];
    const { handle, registry } = handlerWith(log, () =>
      Promise.reject(new UnknownPayloadVersionError(2)),
    );
    let error: unknown;
    await handle(job(log)).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(DelayedError);
    expect(log).to.deep.equal(['process', 'delayed true']);
    expect(await failuresOf(registry)).to.deep.equal([
      'batch_job_failures_total{reason="newer_payload",result="requeued"} 1',
    ]);
  });
});
