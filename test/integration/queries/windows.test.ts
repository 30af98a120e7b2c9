import pMap from 'p-map';
import { expect } from 'chai';
import fc from 'fast-check';
import { CountryStartsQueries } from '../../../src/queries/country-starts.ts';
import { CountryHourly } from '../../../src/storage/country-hourly.ts';
import { Rollups } from '../../../src/storage/rollups.ts';
import { startPipeline, type TestPipeline } from '../../helpers/counting.ts';
import { migratedKeyspace, recordingClient, type TestKeyspace } from '../../helpers/cassandra.ts';
import { testConfig } from '../../helpers/env.ts';
import { batchJob, startEvent, type RawEvent } from '../../helpers/events.ts';
import { ViewModel } from '../../helpers/model.ts';
import { MINUTE_MS, HOUR_MS, DAY_MS } from '../../../src/domain/duration.ts';

const COUNTRIES = ['FI', 'SE', 'NO', 'DK', 'EE'];

/**
 * Starts placed on and around the edges of many windows, written by the real pipeline, then read
 * through the queries with a clock set to chosen instants: every answer must equal the count
 * computed from the events themselves, exactly, for X from one minute to 8760 hours.
 */
describe('starts windows: exact to the minute at every edge', function () {
  this.timeout(180_000);
  // The read clock lies a few days back, so a year-long window reaches past a one-year retention
  // counted from the real clock; this suite keeps 400 days.
  const config = testConfig({ RETENTION_SECONDS: String(400 * 86_400) });
  const realNow = Date.now();
  const today = Math.floor(realNow / DAY_MS) * DAY_MS;
  // Read instants: just before a day boundary (to = midnight), on an hour edge, mid-minute.
  const instants = [
    today - 2 * DAY_MS - 30_000,
    today - 3 * DAY_MS + 13 * HOUR_MS - 1,
    today - 2 * DAY_MS + 7 * HOUR_MS + 17 * MINUTE_MS + 5_000,
  ];
  const hoursValues = ['0.0166667', '0.5', '1', '24', '168', '720', '8760', '1.75', '49.5'];
  const model = new ViewModel();
  let ks: TestKeyspace;
  let pipeline: TestPipeline;
  let queries: (now: number) => CountryStartsQueries;

  before(async () => {
    ks = await migratedKeyspace(config);
    pipeline = await startPipeline(config, ks.client);
    const events: RawEvent[] = [];
    let n = 0;
    const add = (ts: number) => {
      if (ts > realNow - MINUTE_MS) return;
      const e = startEvent(`s-${n}`, `p-${n % 37}`, COUNTRIES[n % COUNTRIES.length]!, ts);
      n++;
      events.push(e);
      model.add(e);
    };
    for (const now of instants) {
      const to = Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
      for (const hours of hoursValues) {
        const from = to - Math.max(1, Math.round(Number(hours) * 60)) * MINUTE_MS;
        for (const edge of [from, to])
          for (const d of [-1, 0, 1, -MINUTE_MS, MINUTE_MS - 1, HOUR_MS, -HOUR_MS]) add(edge + d);
      }
    }
    // And a spread over the whole span, so that long windows have something to count.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 372 * DAY_MS }), (back) => {
        add(realNow - back);
      }),
      { numRuns: 600, seed: 42 },
    );
    const batches: RawEvent[][] = [];
    for (let i = 0; i < events.length; i += 10) batches.push(events.slice(i, i + 10));
    // As a worker holds them: many jobs at once, processed together.
    await pMap(batches, (batch) => pipeline.processBatch(batchJob(batch)), { concurrency: 64 });

    const rollups = new Rollups(ks.client, ks.keyspace);
    const countryHourly = new CountryHourly(ks.client, ks.keyspace);
    queries = (now) =>
      new CountryStartsQueries({
        rollups,
        countryHourly,
        retentionMs: config.events.retentionSeconds * 1000,
        now: () => now,
      });
  });
  after(async () => {
    await pipeline.close();
    await ks.drop();
  });

  for (const [i, hours] of hoursValues.entries()) {
    it(`answers X = ${hours} h exactly at every read instant, for all countries and each one`, async () => {
      const minutes = Math.max(1, Math.round(Number(hours) * 60));
      for (const now of instants) {
        const q = queries(now);
        const all = await q.allCountries(minutes);
        expect(all.window.to).to.equal(Math.floor(now / MINUTE_MS) * MINUTE_MS + MINUTE_MS);
        expect(all.window.to - all.window.from).to.equal(minutes * MINUTE_MS);
        const expected = model.startsByCountry(all.window.from, all.window.to);
        expect(
          new Map(all.countries.map((c) => [c.country, c.starts])),
          `X=${hours} at ${new Date(now).toISOString()}`,
        ).to.deep.equal(
          new Map(
            [...expected]
              .filter(([, v]) => v > 0)
              .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
          ),
        );
        expect(all.total).to.equal([...expected.values()].reduce((s, v) => s + v, 0));

        const country = COUNTRIES[i % COUNTRIES.length]!;
        const one = await q.oneCountry(country, minutes);
        expect(one.starts).to.equal(expected.get(country) ?? 0);
        for (const h of one.hourly) {
          const from = Math.max(h.hour, one.window.from);
          const to = Math.min(h.hour + HOUR_MS, one.window.to);
          expect(h.starts, `hour ${new Date(h.hour).toISOString()}`).to.equal(
            model.startsByCountry(from, to).get(country),
          );
        }
      }
    });
  }

  it('sends at most 8 statements for at most 67 tree nodes for every X, from a minute to a year', async () => {
    const { client, sent } = recordingClient(ks.client);
    const counting = new CountryStartsQueries({
      rollups: new Rollups(client, ks.keyspace),
      countryHourly: new CountryHourly(client, ks.keyspace),
      retentionMs: config.events.retentionSeconds * 1000,
      now: () => instants[1]!,
    });
    const statements: number[] = [];
    for (const minutes of [1, 30, 60, 61, 1440, 10_080, 43_200, 100_000, 525_600]) {
      sent.length = 0;
      await counting.allCountries(minutes);
      expect(sent.every((s) => s.query.includes('.start_count_rollups '))).to.be.true;
      // Each statement reads one partition: its (level_group, block), then the nodes' keys.
      const nodes = sent.map((s) => (s.params[2] as unknown[]).length);
      expect(
        nodes.reduce((a, b) => a + b, 0),
        `nodes for ${minutes} min`,
      ).to.be.at.most(67);
      statements.push(sent.length);
    }
    expect(Math.max(...statements)).to.be.at.most(8);
    // A window that crosses blocks needs several partitions: the bound is not met by reading none.
    expect(Math.max(...statements)).to.be.at.least(4);
  });

  it('sends at most 3 statements for one country, whatever X', async () => {
    const { client, sent } = recordingClient(ks.client);
    const counting = new CountryStartsQueries({
      rollups: new Rollups(client, ks.keyspace),
      countryHourly: new CountryHourly(client, ks.keyspace),
      retentionMs: config.events.retentionSeconds * 1000,
      now: () => instants[2]!,
    });
    for (const minutes of [1, 59, 61, 1440, 525_600]) {
      sent.length = 0;
      await counting.oneCountry('FI', minutes);
      expect(sent.length, `statements for ${minutes} min`).to.be.within(1, 3);
    }
  });
});
