import { expect } from 'chai';
import type { ViewModel } from './model.ts';

type Get = <T>(path: string) => Promise<{ status: number; body: T }>;

const WINDOWS = ['0.0166667', '0.5', '1', '3', '24', '48', '168', '720', '2000', '8760'];

/** Both starts views, for many windows and every country, equal what the model counts. */
export async function expectStartsMatch(get: Get, model: ViewModel): Promise<void> {
  const countries = model.countries();
  for (const hours of WINDOWS) {
    const all = await get<{
      from: string;
      to: string;
      total: number;
      countries: { country: string; starts: number }[];
    }>(`/v1/countries/starts?hours=${hours}`);
    const expected = [...model.startsByCountry(Date.parse(all.body.from), Date.parse(all.body.to))]
      .filter(([, n]) => n > 0)
      .map(([country, starts]) => ({ country, starts }))
      .sort((a, b) => b.starts - a.starts || (a.country < b.country ? -1 : 1));
    expect(all.body.countries, `hours=${hours}`).to.deep.equal(expected);
    expect(all.body.total).to.equal(expected.reduce((s, c) => s + c.starts, 0));

    for (const country of countries) {
      const one = await get<{
        from: string;
        to: string;
        starts: number;
        hourly: { hour: string; starts: number }[];
      }>(`/v1/countries/${country.toLowerCase()}/starts?hours=${hours}`);
      const from = Date.parse(one.body.from);
      const to = Date.parse(one.body.to);
      expect(one.body.starts, `${country} hours=${hours}`).to.equal(
        model.startsByCountry(from, to).get(country) ?? 0,
      );
      for (const h of one.body.hourly) {
        const hour = Date.parse(h.hour);
        expect(h.starts, `${country} ${h.hour}`).to.equal(
          model.startsByCountry(Math.max(hour, from), Math.min(hour + 3_600_000, to)).get(country),
        );
      }
    }
  }
}

/** Every player's sessions equal the model's completed sessions (newest end first, at most 20). */
export async function expectSessionsMatch(get: Get, model: ViewModel): Promise<number> {
  const expected = model.completedByPlayer();
  let players = 0;
  for (const player of model.players()) {
    const result = await get<{
      sessions: {
        session_id: string;
        country: string;
        start_ts: string;
        end_ts: string;
        duration_seconds: number;
      }[];
    }>(`/v1/players/${player}/sessions`);
    const sessions = result.body.sessions.map(({ duration_seconds, ...s }) => {
      expect(duration_seconds).to.equal((Date.parse(s.end_ts) - Date.parse(s.start_ts)) / 1000);
      return s;
    });
    expect(sessions, `player ${player}`).to.deep.equal((expected.get(player) ?? []).slice(0, 20));
    players++;
  }
  return players;
}

/** A `get` for an API at a URL. */
export function getter(url: () => string): Get {
  return async <T>(path: string) => {
    const response = await fetch(`${url()}${path}`);
    return { status: response.status, body: (await response.json()) as T };
  };
}

/** Both views equal the model; at least `minPlayers` players were compared. */
export async function expectViewsMatch(
  get: Get,
  model: ViewModel,
  minPlayers: number,
): Promise<void> {
  await expectStartsMatch(get, model);
  expect(await expectSessionsMatch(get, model)).to.be.at.least(minPlayers);
}
