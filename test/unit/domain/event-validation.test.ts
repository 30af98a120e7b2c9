import { expect } from 'chai';
import { validateEvent, type TimeRules } from '../../../src/domain/event-validation.ts';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const RULES: TimeRules = { retentionMs: 365 * 86_400_000, maxFutureSkewMs: 5 * 60_000 };
const start = {
  event: 'start',
  country: 'FI',
  player_id: '0a2d12a1a7e145de8bae44c0c6e06629',
  session_id: '4a0c43c9-c43a-42ff-ba55-67563dfa35d4',
  ts: '2026-11-23T11:48:05.520022',
};
const end = {
  event: 'end',
  player_id: start.player_id,
  session_id: start.session_id,
  ts: '2026-11-23T11:49:05',
};

function rejection(raw: unknown) {
  const result = validateEvent(raw, NOW, RULES);
  if (result.ok) throw new Error('expected a rejection');
  return result.rejection;
}

describe('event validation', () => {
  it('normalises a start: ids kept, country upper-cased, ts in epoch ms truncated to the millisecond', () => {
    const result = validateEvent({ ...start, country: 'fi' }, NOW, RULES);
    expect(result).to.deep.equal({
      ok: true,
      event: {
        kind: 'start',
        sessionId: start.session_id,
        playerId: start.player_id,
        country: 'FI',
        ts: Date.UTC(2026, 10, 23, 11, 48, 5, 520),
      },
    });
  });

  it('ignores the country on an end, whatever it holds', () => {
    for (const country of [undefined, 'FI', 'not a country', 42, null]) {
      const result = validateEvent({ ...end, country }, NOW, RULES);
      expect(result.ok && result.event.country).to.equal(undefined);
    }
  });

  it('ignores fields it does not know', () => {
    expect(validateEvent({ ...start, extra: { deep: [1] }, game: 'x' }, NOW, RULES).ok).to.be.true;
  });

  it('refuses what is not an object', () => {
    for (const raw of [null, 'start', 42, [start], true]) {
      expect(rejection(raw)).to.deep.include({
        code: 'invalid_event',
        message: 'an event must be a JSON object',
      });
    }
  });

  const cases: [string, Record<string, unknown>, string, RegExp][] = [
    ['a missing event type', { ...start, event: undefined }, 'event', /"event" is required/],
    ['an unknown event type', { ...start, event: 'pause' }, 'event', /"start" or "end"/],
    ['an event type of the wrong case', { ...start, event: 'START' }, 'event', /"start" or "end"/],
    [
      'a missing player id',
      { ...start, player_id: undefined },
      'player_id',
      /"player_id" is required/,
    ],
    ['an empty player id', { ...start, player_id: '' }, 'player_id', /must not be empty/],
    ['a numeric player id', { ...start, player_id: 42 }, 'player_id', /must be a string/],
    [
      'a player id of 65 characters',
      { ...start, player_id: 'x'.repeat(65) },
      'player_id',
      /at most 64/,
    ],
    [
      'a player id with a space',
      { ...start, player_id: 'a b' },
      'player_id',
      /whitespace or control/,
    ],
    [
      'a player id with a tab',
      { ...start, player_id: 'a\tb' },
      'player_id',
      /whitespace or control/,
    ],
    [
      'a player id with a NUL',
      { ...start, player_id: 'a\u0000b' },
      'player_id',
      /whitespace or control/,
    ],
    [
      'a session id with a newline',
      { ...start, session_id: 'a\nb' },
      'session_id',
      /whitespace or control/,
    ],
    [
      'a session id with a non-breaking space',
      { ...start, session_id: 'a\u00a0b' },
      'session_id',
      /whitespace/,
    ],
    [
      'a missing session id',
      { ...start, session_id: undefined },
      'session_id',
      /"session_id" is required/,
    ],
    ['a start without country', { ...start, country: undefined }, 'country', /required on a start/],
    ['a three-letter country', { ...start, country: 'FIN' }, 'country', /two ASCII letters/],
    ['a non-ASCII country', { ...start, country: 'FÏ' }, 'country', /two ASCII letters/],
    ['a numeric country', { ...start, country: 12 }, 'country', /two ASCII letters/],
    [
      'a lone high surrogate in a player id',
      { ...start, player_id: 'p\ud800' },
      'player_id',
      /well-formed Unicode/,
    ],
    [
      'a lone low surrogate in a session id',
      { ...start, session_id: '\udc00s' },
      'session_id',
      /well-formed Unicode/,
    ],
    ['a missing ts', { ...start, ts: undefined }, 'ts', /"ts" is required/],
    ['a numeric ts', { ...start, ts: 1480000000 }, 'ts', /ISO-8601/],
    ['a malformed ts', { ...start, ts: 'yesterday' }, 'ts', /ISO-8601/],
    ['an impossible date', { ...start, ts: '2026-02-30T00:00:00' }, 'ts', /calendar date/],
  ];
  for (const [what, raw, field, message] of cases) {
    it(`refuses ${what} as invalid_event naming "${field}"`, () => {
      const r = rejection(raw);
      expect(r.code).to.equal('invalid_event');
      expect(r.field).to.equal(field);
      expect(r.message).to.match(message);
    });
  }

  it('accepts an id with a surrogate pair (an emoji), which is well-formed', () => {
    expect(validateEvent({ ...start, player_id: 'p\ud83d\ude00' }, NOW, RULES).ok).to.be.true;
  });

  it('accepts identifiers of exactly 64 characters and unicode letters', () => {
    expect(
      validateEvent({ ...start, player_id: 'x'.repeat(64), session_id: 'sessão-ü' }, NOW, RULES).ok,
    ).to.be.true;
  });

  describe('time rules', () => {
    const at = (ms: number) => ({ ...start, ts: new Date(ms).toISOString() });

    it('accepts an event exactly at the retention edge and refuses one a millisecond older as expired', () => {
      expect(validateEvent(at(NOW - RULES.retentionMs), NOW, RULES).ok).to.be.true;
      const r = rejection(at(NOW - RULES.retentionMs - 1));
      expect(r).to.deep.equal({
        code: 'expired',
        field: 'ts',
        message: '"ts" is older than the retention of 365 days',
      });
    });

    it('accepts an event exactly at the future skew and refuses one a millisecond later', () => {
      expect(validateEvent(at(NOW + RULES.maxFutureSkewMs), NOW, RULES).ok).to.be.true;
      expect(rejection(at(NOW + RULES.maxFutureSkewMs + 1))).to.deep.equal({
        code: 'ts_in_future',
        field: 'ts',
        message: '"ts" is more than 5 minutes in the future',
      });
    });

    it('uses the configured retention and skew', () => {
      const rules = { retentionMs: 10_000, maxFutureSkewMs: 0 };
      expect(validateEvent(at(NOW - 10_001), NOW, rules).ok).to.be.false;
      expect(validateEvent(at(NOW + 1), NOW, rules).ok).to.be.false;
      expect(validateEvent(at(NOW), NOW, rules).ok).to.be.true;
    });

    it('rejects the 2016 sample data as expired', () => {
      expect(rejection({ ...start, ts: '2016-11-22T20:40:50' }).code).to.equal('expired');
    });
  });
});
