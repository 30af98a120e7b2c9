import { expect } from 'chai';
import { createIntake } from '../../../src/api/batches/intake.ts';
import { BadRequestError } from '../../../src/api/errors.ts';

const now = Date.UTC(2026, 10, 23, 12);
const rules = { retentionMs: 365 * 86_400_000, maxFutureSkewMs: 300_000 };
const intake = createIntake({ maxEvents: 10, rules });
const valid = {
  ok: true as const,
  value: { event: 'end', player_id: 'p', session_id: 's', ts: '2026-11-23T11:00:00Z' },
};

function thrown(fn: () => unknown): BadRequestError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BadRequestError) return err;
    throw err;
  }
  throw new Error('expected a BadRequestError');
}

describe('batch intake', () => {
  it('refuses an empty batch', () => {
    expect(thrown(() => intake([], now)).code).to.equal('empty_batch');
  });

  it('refuses more events than the configured maximum, and accepts exactly that many', () => {
    expect(intake(Array(10).fill(valid), now).accepted).to.have.length(10);
    const err = thrown(() => intake(Array(11).fill(valid), now));
    expect(err.code).to.equal('too_many_events');
    expect(err.message).to.match(/at most 10 events; this one has 11/);
  });

  it('keeps the valid events and lists the others by index, undecodable lines included', () => {
    const result = intake(
      [{ ok: false, message: 'line 1 is not valid JSON' }, valid, { ok: true, value: 7 }],
      now,
    );
    expect(result.accepted).to.have.length(1);
    expect(result.rejected).to.deep.equal([
      { index: 0, code: 'invalid_event', message: 'line 1 is not valid JSON' },
      { index: 2, code: 'invalid_event', message: 'an event must be a JSON object' },
    ]);
  });

  it('validates a batch event by event, keeping the good ones and listing the others by index', () => {
    const start = { ...valid.value, event: 'start', country: 'FI' };
    const items = [start, { ...start, country: 'X' }, valid.value, 'junk'].map((value) => ({
      ok: true as const,
      value,
    }));
    const result = intake(items, now);
    expect(result.accepted.map((e) => e.kind)).to.deep.equal(['start', 'end']);
    expect(result.rejected.map((r) => [r.index, r.code, r.field])).to.deep.equal([
      [1, 'invalid_event', 'country'],
      [3, 'invalid_event', undefined],
    ]);
  });

  it('refuses a batch without one valid event, with the rejections as details', () => {
    const err = thrown(() => intake([{ ok: true, value: null }], now));
    expect(err.code).to.equal('no_valid_events');
    expect(err.details).to.deep.equal([
      { index: 0, code: 'invalid_event', message: 'an event must be a JSON object' },
    ]);
  });
});
