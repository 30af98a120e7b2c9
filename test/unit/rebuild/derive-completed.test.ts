import { expect } from 'chai';
import { parseCheckpoint, BadCheckpointError } from '../../../ops/rebuild/checkpoint.ts';
import { rowDifferences, sessionRows } from '../../../ops/rebuild/derive-completed.ts';
import type { Variant } from '../../../src/domain/pairing.ts';

const YEAR = 365 * 86_400_000;
const now = Date.UTC(2026, 11, 3, 12);
const start = (ts: number, country = 'FI', playerId = 'p'): Variant => ({
  kind: 'start',
  ts,
  playerId,
  country,
});
const end = (ts: number, playerId = 'p'): Variant => ({ kind: 'end', ts, playerId, country: '' });

describe('a session’s rows in a rebuilt read model', () => {
  it('are the completed row at the pipeline’s version (its number of variants)', () => {
    const rows = sessionRows('s', [start(now - 60_000), end(now), start(now - 60_000)], now, YEAR);
    expect(rows.completed).to.deep.equal({
      playerId: 'p',
      sessionId: 's',
      startTs: now - 60_000,
      endTs: now,
      country: 'FI',
    });
    expect(rows.version).to.equal(3);
    expect(rows.absent).to.deep.equal([]);
  });

  it('name the row a losing end may have left, which must be absent', () => {
    const rows = sessionRows('s', [start(now - 120_000), end(now), end(now - 60_000)], now, YEAR);
    expect(rows.completed?.endTs).to.equal(now - 60_000);
    expect(rows.absent).to.deep.equal([{ playerId: 'p', endTs: now }]);
  });

  it('hold no completed row for half a session, or one that left the retention', () => {
    expect(sessionRows('s', [start(now - 60_000)], now, YEAR).completed).to.equal(undefined);
    expect(
      sessionRows('s', [start(now - YEAR - 1000), end(now - YEAR + 1000)], now, YEAR).completed,
    ).to.equal(undefined);
  });

  it('are found right when stored as derived, and each difference is named', () => {
    const rows = sessionRows('s', [start(now - 120_000), end(now), end(now - 60_000)], now, YEAR);
    const right = { startTs: now - 120_000, country: 'FI' };
    expect(rowDifferences(rows, { completed: right, absent: [false] })).to.deep.equal([]);
    expect(rowDifferences(rows, { completed: undefined, absent: [false] })).to.deep.equal([
      's: completed row missing',
    ]);
    expect(
      rowDifferences(rows, { completed: { ...right, country: 'ZZ' }, absent: [false] }),
    ).to.deep.equal(['s: completed row differs from its facts']);
    expect(rowDifferences(rows, { completed: right, absent: [true] })).to.have.length(1);
  });
});

describe('a rebuild’s checkpoint', () => {
  it('is none when nothing is under way, and read back as saved', () => {
    expect(parseCheckpoint(undefined)).to.equal(undefined);
    expect(parseCheckpoint('')).to.equal(undefined);
    const saved = { phase: 'scan', target: 1, token: '-5', rows: 300 };
    expect(parseCheckpoint(JSON.stringify(saved))).to.deep.equal(saved);
  });

  it('refuses one without a known phase or a target generation', () => {
    for (const text of [
      'x',
      '{}',
      '{"phase":"scan"}',
      '{"phase":"dance","target":1}',
      '{"phase":"scan","target":0}',
    ])
      expect(() => parseCheckpoint(text), text).to.throw(BadCheckpointError);
  });
});
