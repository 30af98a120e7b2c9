import { expect } from 'chai';
import {
  lineTimestamp,
  rebaseOffsetMs,
  shiftEvent,
  shiftTimestamp,
} from '../../../ops/data/rebase.ts';
import { DAY_MS } from '../../../src/domain/duration.ts';

describe('rebasing a file to the present', () => {
  it('finds the offset that makes the newest event now, in whole seconds, never past now', () => {
    const newest = Date.parse('2016-12-01T22:05:29Z');
    const now = Date.parse('2026-11-23T12:00:00.750Z');
    const offset = rebaseOffsetMs(newest, now);
    expect(offset % 1000).to.equal(0);
    expect(newest + offset)
      .to.be.at.most(now)
      .and.above(now - 1000);
    expect(rebaseOffsetMs(Date.parse('2016-12-01T22:05:29.400Z'), now) % 1000).to.equal(0);
  });

  it('moves a ts of the data set and keeps its format: no zone, no fraction', () => {
    expect(shiftTimestamp('2016-11-22T20:40:50', 3 * DAY_MS + 3_600_000)).to.equal(
      '2016-11-25T21:40:50',
    );
  });

  it('crosses month, year and leap-day boundaries like the calendar does', () => {
    expect(shiftTimestamp('2016-12-31T23:59:59', 1000)).to.equal('2017-01-01T00:00:00');
    expect(shiftTimestamp('2024-02-28T12:00:00', DAY_MS)).to.equal('2024-02-29T12:00:00');
    expect(shiftTimestamp('2016-11-22T20:40:50', -DAY_MS)).to.equal('2016-11-21T20:40:50');
  });

  it('keeps the separator, the fraction digits and the zone of other ts formats as written', () => {
    expect(shiftTimestamp('2016-12-02T12:48:05.520022', 60_000)).to.equal(
      '2016-12-02T12:49:05.520022',
    );
    expect(shiftTimestamp('2016-12-02 12:48:05Z', DAY_MS)).to.equal('2016-12-03 12:48:05Z');
    expect(shiftTimestamp('2016-12-02T23:30:00.5+02:00', 3_600_000)).to.equal(
      '2016-12-03T00:30:00.5+02:00',
    );
  });

  it('moves the instant by exactly the offset, whatever the zone', () => {
    for (const ts of [
      '2016-12-02T12:48:05-0530',
      '2016-12-02T12:48:05.123Z',
      '2016-12-02T12:48:05',
    ]) {
      const shifted = shiftTimestamp(ts, 7 * DAY_MS + 5000);
      expect(
        lineTimestamp(JSON.stringify({ ts: shifted }))! - lineTimestamp(JSON.stringify({ ts }))!,
      ).to.equal(7 * DAY_MS + 5000);
    }
  });

  it('leaves a ts that does not parse as it is, for the service to reject', () => {
    expect(shiftTimestamp('yesterday', DAY_MS)).to.equal('yesterday');
    expect(shiftTimestamp('2016-02-30T00:00:00', DAY_MS)).to.equal('2016-02-30T00:00:00');
  });

  it('refuses an offset with a fraction of a second, which would change the fraction digits', () => {
    expect(() => shiftTimestamp('2016-11-22T20:40:50', 1500)).to.throw(RangeError);
  });

  it('shifts only the ts of an event, keeping every other field and their order', () => {
    const event = {
      player_id: 'p',
      country: 'FI',
      event: 'start',
      session_id: 's',
      ts: '2016-11-22T20:40:50',
    };
    const shifted = shiftEvent(event, DAY_MS) as Record<string, unknown>;
    expect(shifted).to.deep.equal({ ...event, ts: '2016-11-23T20:40:50' });
    expect(Object.keys(shifted)).to.deep.equal(Object.keys(event));
    expect(shiftEvent([1, 2], DAY_MS)).to.deep.equal([1, 2]);
    expect(shiftEvent({ ts: 5 }, DAY_MS)).to.deep.equal({ ts: 5 });
  });

  it('reads the ts of a line, or nothing when the line has none that parses', () => {
    expect(lineTimestamp('{"ts": "2016-11-22T20:40:50"}')).to.equal(
      Date.parse('2016-11-22T20:40:50Z'),
    );
    expect(lineTimestamp('{"ts": "soon"}')).to.equal(undefined);
    expect(lineTimestamp('not json')).to.equal(undefined);
    expect(lineTimestamp('["2016-11-22T20:40:50"]')).to.equal(undefined);
  });
});
