import { expect } from 'chai';
import { exportLine, ringFraction } from '../../../ops/data/fact-export.ts';
import { FIRST_TOKEN, LAST_TOKEN_PLUS } from '../../../src/storage/fact-scan.ts';

describe('the export’s lines and progress', () => {
  it('writes a start as the data set does, with its country', () => {
    const line = exportLine({
      sessionId: 's1',
      playerId: 'p1',
      kind: 'start',
      country: 'FI',
      ts: Date.parse('2026-11-22T20:40:50Z'),
    });
    expect(line).to.equal(
      '{"player_id": "p1", "country": "FI", "event": "start", "session_id": "s1", "ts": "2026-11-22T20:40:50"}',
    );
  });

  it('writes an end without a country, and keeps a fraction of a second', () => {
    const line = exportLine({
      sessionId: 's1',
      playerId: 'p1',
      kind: 'end',
      country: '',
      ts: Date.parse('2026-11-22T20:40:50.123Z'),
    });
    expect(JSON.parse(line)).to.deep.equal({
      player_id: 'p1',
      event: 'end',
      session_id: 's1',
      ts: '2026-11-22T20:40:50.123Z',
    });
  });

  it('tells how far into the token ring a scan is', () => {
    expect(ringFraction(FIRST_TOKEN)).to.equal(0);
    expect(ringFraction('0')).to.equal(0.5);
    expect(ringFraction(LAST_TOKEN_PLUS)).to.equal(1);
  });
});
