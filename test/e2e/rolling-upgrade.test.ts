import path from 'node:path';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Random } from '../../ops/data/random.ts';
import { freePort } from '../../ops/lib/free-port.ts';
import { run, waitFor } from '../../ops/lib/process.ts';
import { queueDrained } from '../../ops/lib/queue-drained.ts';
import { ServiceProcess } from '../../ops/lib/service-process.ts';
import { inheritedEnv } from '../../src/config/env.ts';
import { decodeRecord, encodeRecord } from '../../src/queue/batch-records.ts';
import { PAYLOAD_VERSION, toWire } from '../../src/queue/events-queue.ts';
import { bullConnection, workerRedisOptions } from '../../src/queue/redis-connections.ts';
import { createCassandraClient } from '../../src/storage/cassandra-client.ts';
import {
  dropKeyspace,
  keyspaceOptionsOf,
  loadMigrations,
  migrate,
  schemaStatus,
} from '../../src/storage/migrator.ts';
import { decodeBatch } from '../../workers/pipeline/decode.ts';
import { kinds, LiveTraffic } from '../cluster/live-traffic.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { Completions } from '../helpers/completions.ts';
import { expectViewsMatch, getter } from '../helpers/compare-views.ts';
import { processEnv, testConfig } from '../helpers/env.ts';
import { builtRelease, type Release } from '../helpers/previous-release.ts';
import { RotatingClient, type ReleaseName } from '../helpers/rotating-client.ts';

type Decode = typeof import('../../workers/pipeline/decode.ts');
type Records = typeof import('../../src/queue/batch-records.ts');

/**
 * A rolling upgrade from the previous release (built from a clean clone of its tag) to this code,
 * on one queue under live traffic: old and new API and worker processes side by side, old ones
 * replaced by new ones one at a time, the pending migrations applied on the way. Jobs and records
 * cross releases in both directions; at the end both views equal the model of what was accepted.
 */
describe('a rolling upgrade from the previous release under live traffic', function () {
  this.timeout(900_000);
  const config = testConfig();
  const client = createCassandraClient(config.cassandra);
  let release: Release;
  let queue: Queue;
  let completions: Completions;
  const running: ServiceProcess[] = [];

  before(async () => {
    release = await builtRelease(); // minutes the first time; cached under .local/releases
    // The keyspace as the previous release left it: migrated by its own `npm run migrate`.
    const migrated = await run(process.execPath, ['--import', 'tsx', 'ops/migrate.ts'], {
      cwd: release.dir,
      env: inheritedEnv(processEnv(config, 0)),
    });
    expect(migrated.code, migrated.stdout + migrated.stderr).to.equal(0);
    queue = new Queue(config.queue.name, {
      connection: bullConnection(config.redis, workerRedisOptions()),
      prefix: config.queue.prefix,
    });
    completions = await Completions.watch(config);
  });
  after(async () => {
    for (const p of running) p.kill('SIGKILL');
    await completions.close();
    await queue.obliterate({ force: true });
    await queue.close();
    await dropKeyspace(client, config.cassandra.keyspace);
    await client.shutdown();
  });

  it("reads this release's payloads and records with the previous release's own decoders, and the previous release's with this one's", async () => {
    const previous = {
      decode: (await import(path.join(release.dir, 'workers/pipeline/decode.ts'))) as Decode,
      records: (await import(path.join(release.dir, 'src/queue/batch-records.ts'))) as Records,
    };
    const at = Date.now();
    const events = [
      { kind: 'start' as const, sessionId: 's', playerId: 'p', ts: at - 1000, country: 'FI' },
      { kind: 'end' as const, sessionId: 's', playerId: 'p', ts: at, country: undefined },
    ];
    const ours = { v: PAYLOAD_VERSION, acceptedAt: at, events: events.map(toWire) };
    const theirs = { acceptedAt: at, events: events.map(toWire) };
    expect(previous.decode.decodeBatch(ours)).to.deep.equal({ acceptedAt: at, events });
    expect(decodeBatch(theirs)).to.deep.equal({ acceptedAt: at, events });

    const rejected = [{ index: 2, code: 'expired', message: 'old' }];
    for (const record of [
      { accepted: 4 },
      { accepted: 3, fingerprint: 'fp', rejected: [] },
      { accepted: 2, fingerprint: 'fp', rejected },
    ]) {
      const read = previous.records.decodeRecord(encodeRecord(record));
      // 0.1.0 reads a keyless record's fingerprint as null, which it compares with nothing.
      expect({ ...read, fingerprint: read.fingerprint ?? undefined }).to.deep.equal({
        ...record,
        fingerprint: record.fingerprint,
        rejected: record.fingerprint === undefined ? [] : record.rejected,
      });
      expect(decodeRecord(previous.records.encodeRecord(record))).to.deep.equal(record);
    }
  });

  it('keeps every accepted batch, each done once, while old processes are replaced by new ones', async () => {
    const lb = new RotatingClient();
    let newUrl = '';
    let newWeb: ServiceProcess | undefined;
    const env = { ...processEnv(config, 0), WORKER_CONCURRENCY: '4' };
    const start = async (kind: 'web' | 'worker', from: ReleaseName, port = 0) => {
      const root = from === 'previous' ? release.dir : undefined;
      const p = await ServiceProcess.start(kind, { ...env, PORT: String(port) }, root);
      running.push(p);
      return p;
    };
    const stop = async (p: ServiceProcess) => {
      p.kill('SIGTERM');
      return (await p.exited).code;
    };
    /** Waits until `n` batches taken by `by` since `since` are done: by the workers running now. */
    const doneTaken = async (by: ReleaseName, since: number, n = 5) => {
      const of = () => lb.taken.filter((t) => t.by === by && t.at >= since);
      return waitFor(
        () => of().filter((t) => completions.count(t.batchId) === 1).length >= n,
        120_000,
        100,
      );
    };

    const oldPort = await freePort();
    const oldWeb = await start('web', 'previous', oldPort);
    const oldWorkers = [await start('worker', 'previous'), await start('worker', 'previous')];
    lb.add(`http://127.0.0.1:${oldPort}`, 'previous');
    const batches = validAwkwardBatches(new Random(20261204), Date.now(), 40_000);
    const traffic = new LiveTraffic(lb, batches, { postIntervalMs: 40, readIntervalMs: 100 });
    try {
      expect(await doneTaken('previous', 0), 'the previous release alone').to.be.true;

      // A new API beside the old one: the old workers run the jobs it writes.
      const newPort = await freePort();
      newWeb = await start('web', 'current', newPort);
      newUrl = `http://127.0.0.1:${newPort}`;
      lb.add(newUrl, 'current');
      expect(await doneTaken('current', 0), "the new API's jobs, by old workers").to.be.true;

      // This release's migrations, while the old processes run (each one says it may: README).
      await migrate(client, keyspaceOptionsOf(config));
      expect(await schemaStatus(client, config.cassandra.keyspace, loadMigrations())).to.deep.equal(
        { ok: true },
      );

      // The workers, one at a time: a new one up before an old one goes.
      for (const old of oldWorkers) {
        await start('worker', 'current');
        expect(await stop(old), old.log).to.equal(0);
      }
      const newWorkersOnly = Date.now();
      expect(await doneTaken('previous', newWorkersOnly), "the old API's jobs, by new workers").to
        .be.true;

      // The old API last: out of the rotation, then stopped.
      lb.remove(`http://127.0.0.1:${oldPort}`);
      expect(await stop(oldWeb), oldWeb.log).to.equal(0);
      expect(await doneTaken('current', Date.now()), 'the new release alone').to.be.true;
    } finally {
      await traffic.stop();
    }

    await queueDrained(queue, 120_000);
    expect(await queue.getFailedCount(), 'failed jobs').to.equal(0);
    expect(kinds(traffic), 'what clients saw').to.deep.equal(['GET 200', 'POST 202']);
    const taken = lb.taken;
    expect(new Set(taken.map((t) => t.by))).to.deep.equal(new Set(['previous', 'current']));
    for (const t of taken) expect(completions.count(t.batchId), t.batchId).to.equal(1);
    for (const p of running) expect(p.log, 'an error logged').not.to.include('"level":50');
    expect(newWeb.running, newWeb.log.slice(-4000)).to.be.true;
    await expectViewsMatch(
      getter(() => newUrl),
      traffic.model,
      20,
    );
  });
});
