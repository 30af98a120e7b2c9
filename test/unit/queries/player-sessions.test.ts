import { expect } from 'chai';
import { PlayerSessionsQueries } from '../../../src/queries/player-sessions.ts';
import type { CompletedSession } from '../../../src/domain/pairing.ts';

const T0 = Date.UTC(2026, 0, 1, 12);

describe('the player-history view', () => {
  it('answers the stored sessions in their order, each with its duration in seconds', async () => {
    const asked: [string, number][] = [];
    const rows: CompletedSession[] = [
      { playerId: 'p1', sessionId: 's2', country: 'FI', startTs: T0 + 60_000, endTs: T0 + 90_500 },
      { playerId: 'p1', sessionId: 's1', country: 'SE', startTs: T0, endTs: T0 + 60_000 },
    ];
    const queries = new PlayerSessionsQueries({
      completed: {
        latest: (playerId, limit) => {
          asked.push([playerId, limit]);
          return Promise.resolve(rows);
        },
      },
    });

    const result = await queries.latest('p1', 2);

    expect(asked).to.deep.equal([['p1', 2]]);
    expect(result.sessions).to.deep.equal([
      {
        sessionId: 's2',
        country: 'FI',
        startTs: T0 + 60_000,
        endTs: T0 + 90_500,
        durationSeconds: 30.5,
      },
      { sessionId: 's1', country: 'SE', startTs: T0, endTs: T0 + 60_000, durationSeconds: 60 },
    ]);
  });

  it('answers no sessions for a player with none', async () => {
    const queries = new PlayerSessionsQueries({ completed: { latest: () => Promise.resolve([]) } });
    expect((await queries.latest('nobody', 10)).sessions).to.deep.equal([]);
  });
});
