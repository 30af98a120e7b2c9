import { expect } from 'chai';
import fc from 'fast-check';
import { formatTimestamp, parseTimestamp } from '../../../src/domain/timestamp.ts';

const ms = (text: string): number => {
  const parsed = parseTimestamp(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.reason}`);
  return parsed.ms;
};

describe('event time parsing', () => {
  it('reads a time without zone as UTC (the real data set has neither zone nor fraction)', () => {
    expect(ms('2016-11-22T20:40:50')).to.equal(Date.UTC(2016, 10, 22, 20, 40, 50));
  });

  it('reads the spec example with microseconds, truncating to the millisecond', () => {
    expect(ms('2016-12-02T12:48:05.520022')).to.equal(Date.UTC(2016, 11, 2, 12, 48, 5, 520));
  });

  it('never rounds a fraction up into the next millisecond or second', () => {
    expect(ms('2020-01-01T00:00:59.9999999')).to.equal(Date.UTC(2020, 0, 1, 0, 0, 59, 999));
  });

  it('accepts one to nine fraction digits', () => {
    expect(ms('2020-01-01T00:00:00.5')).to.equal(Date.UTC(2020, 0, 1, 0, 0, 0, 500));
    expect(ms('2020-01-01T00:00:00.05')).to.equal(Date.UTC(2020, 0, 1, 0, 0, 0, 50));
    expect(ms('2020-01-01T00:00:00.123456789')).to.equal(Date.UTC(2020, 0, 1, 0, 0, 0, 123));
    expect(parseTimestamp('2020-01-01T00:00:00.1234567890').ok).to.be.false;
  });

  it('applies Z and numeric zone offsets in every ISO form', () => {
    const utc = Date.UTC(2020, 5, 1, 10, 0, 0);
    expect(ms('2020-06-01T10:00:00Z')).to.equal(utc);
    expect(ms('2020-06-01T10:00:00z')).to.equal(utc);
    expect(ms('2020-06-01T12:00:00+02:00')).to.equal(utc);
    expect(ms('2020-06-01T12:00:00+0200')).to.equal(utc);
    expect(ms('2020-06-01T12:00:00+02')).to.equal(utc);
    expect(ms('2020-06-01T04:30:00-05:30')).to.equal(utc);
    expect(ms('2020-06-01T10:00:00.250+00:00')).to.equal(utc + 250);
  });

  it('crosses day, month and year boundaries when applying an offset', () => {
    expect(ms('2021-01-01T00:30:00+01:00')).to.equal(Date.UTC(2020, 11, 31, 23, 30));
  });

  it('accepts a space or a lower-case t as the date-time separator', () => {
    expect(ms('2020-06-01 10:00:00')).to.equal(Date.UTC(2020, 5, 1, 10));
    expect(ms('2020-06-01t10:00:00')).to.equal(Date.UTC(2020, 5, 1, 10));
  });

  it('knows leap years', () => {
    expect(ms('2024-02-29T00:00:00')).to.equal(Date.UTC(2024, 1, 29));
    expect(ms('2000-02-29T00:00:00')).to.equal(Date.UTC(2000, 1, 29));
    expect(parseTimestamp('2023-02-29T00:00:00').ok).to.be.false;
    expect(parseTimestamp('1900-02-29T00:00:00').ok).to.be.false;
  });

  for (const bad of [
    '',
    '2020-06-01',
    '10:00:00',
    '2020-06-01T10:00',
    '2020-6-01T10:00:00',
    '2020-06-01T10:00:00.',
    '2020-06-01T10:00:00 Z',
    '2020-06-01T10:00:00+2:00',
    '2020-06-01T10:00:00+24:00',
    '2020-06-01T10:00:00+02:60',
    '2020-13-01T10:00:00',
    '2020-00-01T10:00:00',
    '2020-04-31T10:00:00',
    '2020-06-00T10:00:00',
    '2020-06-01T24:00:00',
    '2020-06-01T10:60:00',
    '2020-06-01T10:00:60',
    '1480000000',
    ' 2020-06-01T10:00:00',
    '2020-06-01T10:00:00\n',
    '２０２０-06-01T10:00:00',
  ]) {
    it(`refuses ${JSON.stringify(bad)}`, () => {
      const parsed = parseTimestamp(bad);
      expect(parsed.ok).to.be.false;
      if (!parsed.ok) expect(parsed.reason).to.be.a('string').and.not.be.empty;
    });
  }

  it('reads back exactly what it formats, for any millisecond in 1970-2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }), (t) => {
        expect(ms(formatTimestamp(t))).to.equal(t);
      }),
    );
  });

  it('agrees with the platform parser on valid zoned date-times', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offsetMinutes) => {
          const local = new Date(date.getTime() + offsetMinutes * 60_000)
            .toISOString()
            .slice(0, 23);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(ms(local + zone)).to.equal(Date.parse(local + zone));
        },
      ),
    );
  });
});
