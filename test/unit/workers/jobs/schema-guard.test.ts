import { install, type Clock } from '@sinonjs/fake-timers';
import { expect } from 'chai';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { SchemaStatus } from '../../../../src/storage/migrator.ts';
import { SchemaGuard } from '../../../../workers/jobs/schema-guard.ts';

const ok: SchemaStatus = { ok: true };
const missing: SchemaStatus = { ok: false, reason: 'keyspace x does not exist', cause: 'schema' };
const away: SchemaStatus = { ok: false, reason: 'no answer', cause: 'unreachable' };

function guardWith(statuses: SchemaStatus[]) {
  const log: string[] = [];
  const registry = new Registry();
  let i = 0;
  const guard = new SchemaGuard({
    status: () => Promise.resolve(statuses[Math.min(i++, statuses.length - 1)]!),
    pause: () => (log.push('pause'), Promise.resolve()),
    resume: () => (log.push('resume'), Promise.resolve()),
    logger: pino({ level: 'silent' }),
    registry,
    recheckMs: 5000,
  });
  const ready = async () =>
    /worker_schema_ready (\d)/.exec(
      await registry.getSingleMetricAsString('worker_schema_ready'),
    )?.[1];
  return { guard, log, ready };
}

describe('the schema guard', () => {
  let clock: Clock;
  beforeEach(() => {
    clock = install();
  });
  afterEach(() => {
    clock.uninstall();
  });

  it('starts taking jobs at once when the schema is in place', async () => {
    const g = guardWith([ok]);
    await g.guard.start();
    expect(g.log).to.deep.equal(['resume']);
    expect(await g.ready()).to.equal('1');
  });

  it('takes no jobs while the schema is missing, and takes them once a recheck finds it', async () => {
    const g = guardWith([missing, missing, ok]);
    await g.guard.start();
    expect(g.log).to.deep.equal([]);
    expect(await g.ready()).to.equal('0');
    await clock.tickAsync(5000);
    expect(g.log, 'still missing at the first recheck').to.deep.equal([]);
    await clock.tickAsync(5000);
    expect(g.log).to.deep.equal(['resume']);
    expect(await g.ready()).to.equal('1');
    g.guard.stop();
  });

  it('pauses the worker when a job’s failure is confirmed as a missing schema', async () => {
    const g = guardWith([ok, missing]);
    await g.guard.start();
    expect(await g.guard.confirmMissing(new Error('table gone'), 'b1')).to.equal(true);
    expect(g.log).to.deep.equal(['resume', 'pause']);
    expect(await g.ready()).to.equal('0');
    g.guard.stop();
  });

  it('treats the failure as an ordinary one when the schema is there, or Cassandra does not answer', async () => {
    for (const status of [ok, away]) {
      const g = guardWith([ok, status]);
      await g.guard.start();
      expect(await g.guard.confirmMissing(new Error('x'), 'b1')).to.equal(false);
      expect(g.log).to.deep.equal(['resume']);
    }
  });

  it('stops rechecking once stopped', async () => {
    const g = guardWith([missing, ok]);
    await g.guard.start();
    g.guard.stop();
    await clock.tickAsync(20_000);
    expect(g.log).to.deep.equal([]);
  });
});
