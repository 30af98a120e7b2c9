import { expect } from 'chai';

type Get = <T>(path: string) => Promise<{ status: number; body: T }>;

const WINDOWS = ['0.0166667', '0.5', '1', '3', '24', '48', '168', '720', '2000', '8760'];

/**
 * Two services answer the same path alike. Windows end at the current minute, so a pair of
 * answers that straddles a minute's turn is asked again rather than compared.
 */
async function expectSameAnswer(a: Get, b: Get, path: string): Promise<void> {
  for (;;) {
    const [x, y] = await Promise.all([
      a<Record<string, unknown>>(path),
      b<Record<string, unknown>>(path),
    ]);
    if (x.body.to !== y.body.to) continue;
    expect(y, path).to.deep.equal(x);
    return;
  }
}

/** Every window of both starts views, for every given country, and every given player's history. */
export async function expectSameViews(
  a: Get,
  b: Get,
  countries: Iterable<string>,
  players: Iterable<string>,
): Promise<{ requests: number }> {
  let requests = 0;
  for (const hours of WINDOWS) {
    await expectSameAnswer(a, b, `/v1/countries/starts?hours=${hours}`);
    requests++;
    for (const country of countries) {
      await expectSameAnswer(a, b, `/v1/countries/${country}/starts?hours=${hours}`);
      requests++;
    }
  }
  for (const player of players) {
    await expectSameAnswer(a, b, `/v1/players/${player}/sessions`);
    requests++;
  }
  return { requests };
}
