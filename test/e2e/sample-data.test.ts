import fs from 'node:fs';
import { expect } from 'chai';
import { postPersistently } from '../helpers/client.ts';
import type { RawEvent } from '../helpers/events.ts';
import { ViewModel } from '../helpers/model.ts';
import { TestService } from '../helpers/service.ts';
import { DAY_MS } from '../../src/domain/duration.ts';

const FIXTURE = new URL('../fixtures/sample-first100.jsonl', import.meta.url);

/**
 * The real data's shape: the first 100 lines of the public data set, shifted so that the newest
 * event is a minute old (one offset for all: every gap kept), sent through the API as NDJSON in
 * batches of 10, in file order, ts still in the file's own format (no zone, no fraction).
 */
describe('the public sample data, shifted to the recent past', function () {
  this.timeout(60_000);
  let service: TestService;
  const model = new ViewModel();
  const lines = fs.readFileSync(FIXTURE, 'utf8').trim().split('\n');
  const original = lines.map((l) => JSON.parse(l) as RawEvent);
  const newest = Math.max(...original.map((e) => Date.parse(`${e.ts}Z`)));
  const offset = Date.now() - 60_000 - newest;
  const shifted = original.map((e) => ({
    ...e,
    ts: new Date(Date.parse(`${e.ts}Z`) + offset).toISOString().slice(0, 19),
  }));

  before(async () => {
    service = await TestService.start();
  });
  after(async () => {
    await service.close();
  });

  it('accepts all 100 events in 10 batches', async () => {
    expect(original).to.have.length(100);
    for (let i = 0; i < shifted.length; i += 10) {
      const outcome = await postPersistently(service.api.url, shifted.slice(i, i + 10), {
        format: 'ndjson',
      });
      expect(outcome).to.deep.include({ kind: 'accepted', accepted: 10, rejectedAt: new Map() });
      for (const e of shifted.slice(i, i + 10)) model.add({ ...e, ts: `${e.ts}Z` });
    }
    await service.drained();
  });

  it('counts the starts of every country as the lines say, for the whole span and for a day', async () => {
    for (const hours of ['24', '720', '8760']) {
      const result = await service.get<{
        from: string;
        to: string;
        total: number;
        countries: { country: string; starts: number }[];
      }>(`/v1/countries/starts?hours=${hours}`);
      const expected = model.startsByCountry(
        Date.parse(result.body.from),
        Date.parse(result.body.to),
      );
      expect(new Map(result.body.countries.map((c) => [c.country, c.starts]))).to.deep.equal(
        expected,
      );
    }
    const all = await service.get<{ total: number }>('/v1/countries/starts?hours=8760');
    expect(all.body.total).to.equal(55);
    const lastDay = await service.get<{ from: string; total: number }>(
      '/v1/countries/starts?hours=24',
    );
    expect(lastDay.body.total).to.equal(
      shifted.filter((e) => e.event === 'start' && Date.parse(`${e.ts}Z`) >= Date.now() - DAY_MS)
        .length,
    );
  });

  it('lists no completed session for any player: no session of these lines has both halves', async () => {
    expect(model.completedByPlayer().size).to.equal(0);
    for (const player of model.players()) {
      expect((await service.get(`/v1/players/${player}/sessions`)).body).to.deep.equal({
        player_id: player,
        sessions: [],
      });
    }
  });

  it('completes those sessions once their missing halves arrive', async () => {
    const starts = shifted.filter((e) => e.event === 'start').slice(0, 10);
    const missing = starts.map((s) => ({
      event: 'end',
      player_id: s.player_id,
      session_id: s.session_id,
      ts: new Date(Date.parse(`${s.ts}Z`) + 90_000).toISOString().slice(0, 19),
    }));
    expect((await postPersistently(service.api.url, missing)).kind).to.equal('accepted');
    await service.drained();
    for (const e of missing) {
      const result = await service.get<{
        sessions: { session_id: string; duration_seconds: number }[];
      }>(`/v1/players/${e.player_id}/sessions`);
      expect(
        result.body.sessions.find((s) => s.session_id === e.session_id)?.duration_seconds,
      ).to.equal(90);
    }
  });
});
