import { expect } from 'chai';
import { createRegistry } from '../../../src/observability/metrics.ts';
import { CountryStartsQueries } from '../../../src/queries/country-starts.ts';
import {
  createCassandraClient,
  type CassandraClient,
} from '../../../src/storage/cassandra-client.ts';
import { CompletedSessions } from '../../../src/storage/completed-sessions.ts';
import { CountryHourly } from '../../../src/storage/country-hourly.ts';
import { Rollups } from '../../../src/storage/rollups.ts';
import { composeProcessBatch } from '../../../workers/compose-pipeline.ts';
import type { ProcessBatch } from '../../../workers/pipeline/process-batch.ts';
import { migratedKeyspace, type TestKeyspace } from '../../helpers/cassandra.ts';
import { startCounting } from '../../helpers/counting.ts';
import type { Counting } from '../../../workers/counts/compose-counting.ts';
import { testConfig } from '../../helpers/env.ts';
import { batchJob, endEvent, startEvent } from '../../helpers/events.ts';
import { silentLogger } from '../../helpers/service.ts';
import { MINUTE_MS } from '../../../src/domain/duration.ts';

describe('workers against the real Cassandra: pairing, duplicates, concurrency', function () {
  this.timeout(60_000);
  const config = testConfig();
  let ks: TestKeyspace;
  let other: CassandraClient;
  let worker: { processBatch: ProcessBatch };
  let secondWorker: { processBatch: ProcessBatch };
  let counting: Counting;
  let secondCounting: Counting;
  let completed: CompletedSessions;
  let starts: CountryStartsQueries;
  const registry = createRegistry('test');
  // Every test uses its own players and an hour of its own, so they do not see each other's data.
  let hourOffset = 0;
  const nextHour = () => Math.floor(Date.now() / 3_600_000) * 3_600_000 - ++hourOffset * 3_600_000;

  before(async () => {
    ks = await migratedKeyspace(config);
    counting = await startCounting(config, ks.client);
    worker = {
      processBatch: composeProcessBatch(config, ks.client, registry, silentLogger, (dirty) =>
        counting.whenCounted(dirty),
      ),
    };
    // A second worker has its own connection pool, as a second process would.
    other = createCassandraClient(config.cassandra);
    secondCounting = await startCounting(config, other);
    secondWorker = {
      processBatch: composeProcessBatch(
        config,
        other,
        createRegistry('test-2'),
        silentLogger,
        (dirty) => secondCounting.whenCounted(dirty),
      ),
    };
    completed = new CompletedSessions(ks.client, ks.keyspace);
    starts = new CountryStartsQueries({
      rollups: new Rollups(ks.client, ks.keyspace),
      countryHourly: new CountryHourly(ks.client, ks.keyspace),
      retentionMs: config.events.retentionSeconds * 1000,
      now: () => Date.now(),
    });
  });
  after(async () => {
    await counting.close();
    await secondCounting.close();
    await other.shutdown();
    await ks.drop();
  });

  const startsIn = async (country: string, from: number, to: number) => {
    // The hour under test lies within the last day: read one day and pick the hour.
    const day = await starts.oneCountry(country, 26 * 60);
    return day.hourly
      .filter((h) => h.hour >= from && h.hour < to)
      .reduce((sum, h) => sum + h.starts, 0);
  };

  it('pairs an end that arrives in one batch with a start that arrives later in another', async () => {
    const t = nextHour();
    await worker.processBatch(batchJob([endEvent('s-late-start', 'p-a', t + 5 * MINUTE_MS)]));
    expect(await completed.latest('p-a', 20)).to.deep.equal([]);
    await worker.processBatch(batchJob([startEvent('s-late-start', 'p-a', 'FI', t + MINUTE_MS)]));
    expect(await completed.latest('p-a', 20)).to.deep.equal([
      {
        playerId: 'p-a',
        sessionId: 's-late-start',
        startTs: t + MINUTE_MS,
        endTs: t + 5 * MINUTE_MS,
        country: 'FI',
      },
    ]);
    expect(await startsIn('FI', t, t + 3_600_000)).to.equal(1);
  });

  it('pairs start and end given in one batch in reverse order', async () => {
    const t = nextHour();
    await worker.processBatch(
      batchJob([endEvent('s-rev', 'p-b', t + 2 * MINUTE_MS), startEvent('s-rev', 'p-b', 'SE', t)]),
    );
    const [session] = await completed.latest('p-b', 20);
    expect(session?.startTs).to.equal(t);
    expect(session?.endTs).to.equal(t + 2 * MINUTE_MS);
  });

  it('stores and counts the same event once, whether repeated in one batch or in two', async () => {
    const t = nextHour();
    const start = startEvent('s-dup', 'p-c', 'DE', t + 10 * MINUTE_MS);
    const end = endEvent('s-dup', 'p-c', t + 20 * MINUTE_MS);
    await worker.processBatch(batchJob([start, start, end, end]));
    await worker.processBatch(batchJob([start, end]));
    expect(await completed.latest('p-c', 20)).to.have.length(1);
    expect(await startsIn('DE', t, t + 3_600_000)).to.equal(1);
    const rows = await ks.client.execute(
      `SELECT * FROM ${ks.keyspace}.sessions_by_id WHERE session_id = ?`,
      ['s-dup'],
    );
    expect(rows.rows).to.have.length(2);
  });

  it('leaves every view unchanged when the same job is processed twice', async () => {
    const t = nextHour();
    const job = batchJob([
      startEvent('s-twice-1', 'p-d', 'NO', t + MINUTE_MS),
      endEvent('s-twice-1', 'p-d', t + 3 * MINUTE_MS),
      startEvent('s-twice-2', 'p-d', 'NO', t + 4 * MINUTE_MS),
    ]);
    await worker.processBatch(job);
    const sessionsOnce = await completed.latest('p-d', 20);
    const countOnce = await startsIn('NO', t, t + 3_600_000);
    await worker.processBatch(job);
    await secondWorker.processBatch(job);
    expect(await completed.latest('p-d', 20)).to.deep.equal(sessionsOnce);
    expect(await startsIn('NO', t, t + 3_600_000))
      .to.equal(countOnce)
      .and.to.equal(2);
  });

  it('completes every session when two workers process its start and its end at the same time', async () => {
    const t = nextHour();
    const n = 150;
    const jobs = Array.from({ length: n }, (_, i) => [
      batchJob([startEvent(`s-race-${i}`, `p-race-${i % 10}`, 'EE', t + (i % 50) * MINUTE_MS)]),
      batchJob([endEvent(`s-race-${i}`, `p-race-${i % 10}`, t + 55 * MINUTE_MS)]),
    ]);
    await Promise.all(
      jobs.map(([s, e]) => Promise.all([worker.processBatch(s!), secondWorker.processBatch(e!)])),
    );
    let found = 0;
    for (let p = 0; p < 10; p++) found += (await completed.latest(`p-race-${p}`, 20)).length;
    expect(found).to.equal(n);
    expect(await startsIn('EE', t, t + 3_600_000)).to.equal(n);
  });

  it('counts concurrent starts in one second exactly, whichever worker rolls them up', async () => {
    const t = nextHour() + 30 * MINUTE_MS + 17_000;
    const jobs = Array.from({ length: 60 }, (_, i) =>
      batchJob([startEvent(`s-hot-${i}`, `p-hot-${i}`, 'LV', t + (i % 1000))]),
    );
    await Promise.all(
      jobs.map((job, i) => (i % 2 === 0 ? worker : secondWorker).processBatch(job)),
    );
    expect(await startsIn('LV', t - 30 * MINUTE_MS - 17_000, t + 30 * MINUTE_MS)).to.equal(60);
  });

  it('does not complete a session whose end precedes its start, and still counts the start', async () => {
    const t = nextHour();
    await worker.processBatch(
      batchJob([
        startEvent('s-neg', 'p-e', 'LT', t + 10 * MINUTE_MS),
        endEvent('s-neg', 'p-e', t + 9 * MINUTE_MS),
      ]),
    );
    expect(await completed.latest('p-e', 20)).to.deep.equal([]);
    expect(await startsIn('LT', t, t + 3_600_000)).to.equal(1);
    const anomalies = await registry.getSingleMetric('session_anomalies_total')?.get();
    expect(
      anomalies?.values.find((v) => v.labels.kind === 'end_before_start')?.value,
    ).to.be.at.least(1);
  });

  it('resolves conflicting starts to the earliest, counting the session once in its country and minute', async () => {
    const t = nextHour();
    await worker.processBatch(
      batchJob([startEvent('s-conflict', 'p-f', 'PL', t + 40 * MINUTE_MS)]),
    );
    expect(await startsIn('PL', t, t + 3_600_000)).to.equal(1);
    await worker.processBatch(batchJob([endEvent('s-conflict', 'p-f', t + 50 * MINUTE_MS)]));
    await worker.processBatch(
      batchJob([startEvent('s-conflict', 'p-f', 'CZ', t + 20 * MINUTE_MS)]),
    );
    expect(await startsIn('PL', t, t + 3_600_000)).to.equal(0);
    expect(await startsIn('CZ', t, t + 3_600_000)).to.equal(1);
    const [session] = await completed.latest('p-f', 20);
    expect(session).to.deep.include({
      country: 'CZ',
      startTs: t + 20 * MINUTE_MS,
      endTs: t + 50 * MINUTE_MS,
    });
    // A late retry of the losing start's job changes nothing.
    await secondWorker.processBatch(
      batchJob([startEvent('s-conflict', 'p-f', 'PL', t + 40 * MINUTE_MS)]),
    );
    expect(await startsIn('PL', t, t + 3_600_000)).to.equal(0);
    expect(await startsIn('CZ', t, t + 3_600_000)).to.equal(1);
  });

  it('moves a completed session to its earliest end when a conflicting end arrives', async () => {
    const t = nextHour();
    await worker.processBatch(
      batchJob([
        startEvent('s-ends', 'p-g', 'HU', t),
        endEvent('s-ends', 'p-g', t + 30 * MINUTE_MS),
      ]),
    );
    await worker.processBatch(batchJob([endEvent('s-ends', 'p-g', t + 10 * MINUTE_MS)]));
    const sessions = await completed.latest('p-g', 20);
    expect(sessions.map((s) => s.endTs)).to.deep.equal([t + 10 * MINUTE_MS]);
  });

  it('lists a player’s sessions newest end first, ties by session id, at most the limit', async () => {
    const t = nextHour();
    const events = [];
    for (let i = 0; i < 25; i++) {
      events.push(startEvent(`s-list-${String(i).padStart(2, '0')}`, 'p-h', 'IE', t + i * 1000));
      events.push(
        endEvent(
          `s-list-${String(i).padStart(2, '0')}`,
          'p-h',
          t + 60_000 + Math.floor(i / 2) * 1000,
        ),
      );
    }
    for (let i = 0; i < events.length; i += 10)
      await worker.processBatch(batchJob(events.slice(i, i + 10)));
    const sessions = await completed.latest('p-h', 20);
    expect(sessions).to.have.length(20);
    const expected = Array.from({ length: 25 }, (_, i) => ({
      id: `s-list-${String(i).padStart(2, '0')}`,
      end: t + 60_000 + Math.floor(i / 2) * 1000,
    }))
      .sort((a, b) => b.end - a.end || (a.id < b.id ? -1 : 1))
      .slice(0, 20)
      .map((s) => s.id);
    expect(sessions.map((s) => s.sessionId)).to.deep.equal(expected);
    expect(await completed.latest('p-h', 3)).to.have.length(3);
  });
});
