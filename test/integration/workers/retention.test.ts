import { expect } from 'chai';
import {
  HOUR_LEVEL,
  LEVELS,
  MINUTE_LEVEL,
  SECOND_LEVEL,
  TOP_LEVEL,
  nodeAt,
  partitionOf,
  spanOf,
} from '../../../src/domain/time-tree.ts';
import { startPipeline } from '../../helpers/counting.ts';
import { migratedKeyspace, type TestKeyspace } from '../../helpers/cassandra.ts';
import { testConfig } from '../../helpers/env.ts';
import { batchJob, endEvent, startEvent } from '../../helpers/events.ts';
import { TestService } from '../../helpers/service.ts';
import { DAY_MS, MINUTE_MS, floorTo } from '../../../src/domain/duration.ts';
import { waitFor } from '../../../ops/lib/process.ts';

const YEAR_S = 365 * 86_400;

describe('retention: every row carries the TTL the rule gives it', function () {
  this.timeout(60_000);
  const config = testConfig();
  let ks: TestKeyspace;
  const now = Date.now();
  const start = now - 100 * DAY_MS - 1234;
  const end = now - 10 * DAY_MS;

  before(async () => {
    ks = await migratedKeyspace(config);
    const pipeline = await startPipeline(config, ks.client);
    await pipeline.processBatch(
      batchJob([startEvent('s-ttl', 'p-ttl', 'FI', start), endEvent('s-ttl', 'p-ttl', end)]),
    );
    await pipeline.close();
  });
  after(async () => {
    await ks.drop();
  });

  /** The TTL a row must have: a year after `oldestMs`, in whole seconds, as seen now. */
  const expectedTtl = (oldestMs: number) => YEAR_S - (Date.now() - oldestMs) / 1000;
  const ttl = async (cql: string, params: unknown[]) => {
    const rows = (await ks.client.execute(cql, params, { prepare: true })).rows;
    expect(rows, cql).to.have.length.greaterThan(0);
    return rows.map((r) => r.get('t') as number);
  };

  it('gives a start fact the TTL of its start', async () => {
    const minute = new Date(Math.floor(start / 60_000) * 60_000);
    const [t] = await ttl(
      `SELECT TTL(live) AS t FROM ${ks.keyspace}.start_facts_by_shard WHERE minute = ? AND shard = 0`,
      [minute],
    );
    expect(t).to.be.closeTo(expectedTtl(start), 3);
  });

  it('gives a completed session the TTL of its start, not of its end', async () => {
    const [t] = await ttl(
      `SELECT TTL(country) AS t FROM ${ks.keyspace}.completed_sessions_by_player WHERE player_id = ?`,
      ['p-ttl'],
    );
    expect(t).to.be.closeTo(expectedTtl(start), 3);
  });

  it('gives every time-tree node the TTL of the node’s own start', async () => {
    const second = nodeAt(SECOND_LEVEL, start).start;
    const [s] = await ttl(
      `SELECT TTL(counts) AS t FROM ${ks.keyspace}.start_count_seconds WHERE minute = ? AND shard = 0 AND second = ?`,
      [new Date(Math.floor(start / 60_000) * 60_000), new Date(second)],
    );
    expect(s, 'second').to.be.closeTo(expectedTtl(second), 3);
    for (let level = MINUTE_LEVEL; level <= TOP_LEVEL; level++) {
      const node = nodeAt(level, start);
      const partition = partitionOf(node);
      const [t] = await ttl(
        `SELECT TTL(counts) AS t FROM ${ks.keyspace}.start_count_rollups WHERE level_group = ? AND block = ? AND span = ? AND start = ?`,
        [partition.group, new Date(partition.block), spanOf(level) / 1000, new Date(node.start)],
      );
      expect(t, LEVELS[level]!.name).to.be.closeTo(expectedTtl(node.start), 3);
    }
  });

  it('gives a country’s hourly count the TTL of its hour', async () => {
    const hour = nodeAt(HOUR_LEVEL, start).start;
    const [t] = await ttl(
      `SELECT TTL(starts) AS t FROM ${ks.keyspace}.start_counts_by_country WHERE country = ? AND hour = ?`,
      ['FI', new Date(hour)],
    );
    expect(t).to.be.closeTo(expectedTtl(hour), 3);
  });
});

describe('retention: with a retention of seconds, data really disappears from the views', function () {
  this.timeout(120_000);
  let service: TestService;

  before(async () => {
    service = await TestService.start({ overrides: { RETENTION_SECONDS: '10' } });
  });
  after(async () => {
    await service.close();
  });

  it('lets each session fact expire a retention after its own event time', async () => {
    const pipeline = await startPipeline(service.config, service.ks.client);
    const t0 = Date.now();
    await pipeline.processBatch(
      batchJob([
        startEvent('s-halves', 'p-halves', 'GL', t0 - 7000),
        endEvent('s-halves', 'p-halves', t0),
      ]),
    );
    const kinds = async () =>
      (
        await service.ks.client.execute(
          `SELECT event FROM ${service.ks.keyspace}.sessions_by_id WHERE session_id = ?`,
          ['s-halves'],
        )
      ).rows.map((r) => r.get('event') as string);
    expect(await kinds()).to.deep.equal(['end', 'start']);
    await pipeline.close();
    // The start expires 3 s after t0, a retention after its own time; the end only after 10 s.
    let left: string[] = [];
    const startGone = async () => !(left = await kinds()).includes('start');
    expect(await waitFor(startGone, 10_000, 100), 'the start expired').to.be.true;
    expect(left, 'what is left once the start expired').to.deep.equal(['end']);
  });
});

/**
 * The starts view counts whole minutes, the oldest being the first whole minute inside the
 * retention, so a start at the beginning of a minute is served for as long as the retention still
 * covers that minute. Rather than wait for a minute to begin, the retention is chosen from the
 * clock: the seconds already gone in this minute, plus a margin for starting the service and
 * processing the batch. The session starts at the beginning of this minute, is served, and
 * expires a margin after the test began, whatever second it began at.
 */
describe('retention: a session and its start leave the views once the retention has passed', function () {
  this.timeout(120_000);
  const MARGIN_MS = 15_000;
  let service: TestService;
  let minute: number;
  let retentionMs: number;

  before(async () => {
    const began = Date.now();
    minute = floorTo(began, MINUTE_MS);
    retentionMs = Math.ceil((began - minute + MARGIN_MS) / 1000) * 1000;
    service = await TestService.start({
      overrides: { RETENTION_SECONDS: String(retentionMs / 1000) },
    });
  });
  after(async () => {
    await service.close();
  });

  it('serves a session and its start, then neither once the retention has passed', async () => {
    const posted = await service.post([
      startEvent('s-short', 'p-short', 'IS', minute),
      endEvent('s-short', 'p-short', minute + 1000),
    ]);
    expect(posted.status).to.equal(202);
    await service.drained();

    const starts = () =>
      service.get<{ countries: { country: string }[] }>('/v1/countries/starts?hours=1');
    const sessions = () => service.get<{ sessions: unknown[] }>('/v1/players/p-short/sessions');
    expect((await starts()).body.countries.map((c) => c.country)).to.deep.equal(['IS']);
    expect((await sessions()).body.sessions).to.have.length(1);

    // The rows expire in Cassandra a retention after the session's times, and the views with them.
    const served = async () =>
      (await starts()).body.countries.length + (await sessions()).body.sessions.length;
    expect(await waitFor(async () => (await served()) === 0, MARGIN_MS + 10_000, 200)).to.be.true;
    const { keyspace } = service.ks;
    const holdingRows = async () => {
      const holding: string[] = [];
      for (const table of [
        'sessions_by_id',
        'session_starts_by_bucket',
        'completed_sessions_by_player',
        'start_count_rollups',
        'start_counts_by_country',
      ]) {
        const rows = await service.ks.client.execute(`SELECT * FROM ${keyspace}.${table}`);
        if (rows.rows.length > 0) holding.push(table);
      }
      return holding;
    };
    // The end is a second younger than the start: its rows go a second later.
    let holding: string[] = [];
    await waitFor(async () => (holding = await holdingRows()).length === 0, 5000, 200);
    expect(holding, 'tables still holding rows').to.deep.equal([]);
  });
});
