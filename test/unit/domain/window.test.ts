import { expect } from 'chai';
import fc from 'fast-check';
import { parseHours, splitByHour, windowEndingNow } from '../../../src/domain/window.ts';

const YEAR = 365 * 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('query window', () => {
  describe('hours', () => {
    for (const [raw, minutes] of [
      ['1', 60],
      ['24', 1440],
      ['0.5', 30],
      ['.5', 30],
      ['1.', 60],
      ['8760', 525_600],
      ['0.0001', 1], // rounds to 0 minutes, then at least one
      ['0.01', 1],
      ['0.025', 2], // 1.5 minutes rounds half up
      ['1.999', 120],
      ['168', 10_080],
      ['720', 43_200],
    ] as const) {
      it(`reads ${raw} as ${minutes} minutes`, () => {
        expect(parseHours(raw)).to.deep.equal({ ok: true, hours: Number(raw), minutes });
      });
    }

    for (const raw of [
      undefined,
      '',
      '0',
      '0.0',
      '-1',
      '8760.0001',
      '8761',
      'abc',
      '1e2',
      '0x10',
      ' 1',
      '1 ',
      'Infinity',
      'NaN',
      '+1',
      '1,5',
      ['1', '2'],
    ]) {
      it(`refuses ${JSON.stringify(raw)}`, () => {
        expect(parseHours(raw)).to.deep.equal({ ok: false });
      });
    }
  });

  describe('[from, to)', () => {
    it('ends at the start of the minute after now, so the current minute counts', () => {
      const w = windowEndingNow(Date.parse('2026-11-23T12:34:56.789Z'), 60, YEAR);
      expect([iso(w.from), iso(w.to)]).to.deep.equal([
        '2026-11-23T11:35:00.000Z',
        '2026-11-23T12:35:00.000Z',
      ]);
    });

    it('treats now on a minute boundary as inside that minute', () => {
      const w = windowEndingNow(Date.parse('2026-11-23T12:00:00.000Z'), 1, YEAR);
      expect([iso(w.from), iso(w.to)]).to.deep.equal([
        '2026-11-23T12:00:00.000Z',
        '2026-11-23T12:01:00.000Z',
      ]);
    });

    it('spans exactly 365 days for 8760 hours and stays inside the retention', () => {
      const now = Date.parse('2026-11-23T12:34:56.789Z');
      const w = windowEndingNow(now, 525_600, YEAR);
      expect(w.to - w.from).to.equal(YEAR);
      expect(w.from).to.be.greaterThan(now - YEAR);
    });

    it('starts at the first whole minute inside a configured retention shorter than the window', () => {
      const now = Date.parse('2026-11-23T12:34:56.789Z');
      const w = windowEndingNow(now, 600, 3_600_000);
      expect(iso(w.from)).to.equal('2026-11-23T11:35:00.000Z');
      const tiny = windowEndingNow(now, 60, 10_000);
      expect(tiny.from).to.equal(tiny.to); // the current minute began more than 10 s ago
    });
  });

  describe('hours of a window', () => {
    const at = (t: string) => Date.parse(`2026-11-23T${t}:00Z`);

    it('gives the whole hours as one range and clips the first and last hour', () => {
      const split = splitByHour({ from: at('10:45'), to: at('13:10') });
      expect(split.whole).to.deep.equal({ from: at('11:00'), to: at('13:00') });
      expect(split.partial).to.deep.equal([
        { hour: at('10:00'), from: at('10:45'), to: at('11:00') },
        { hour: at('13:00'), from: at('13:00'), to: at('13:10') },
      ]);
    });

    it('has no clipped hour when both ends are on hour boundaries', () => {
      expect(splitByHour({ from: at('10:00'), to: at('12:00') })).to.deep.equal({
        whole: { from: at('10:00'), to: at('12:00') },
        partial: [],
      });
    });

    it('gives one clipped hour for a window inside an hour, and two for one across an hour edge', () => {
      expect(splitByHour({ from: at('10:15'), to: at('10:45') })).to.deep.equal({
        whole: { from: at('10:15'), to: at('10:15') },
        partial: [{ hour: at('10:00'), from: at('10:15'), to: at('10:45') }],
      });
      const across = splitByHour({ from: at('10:30'), to: at('11:30') });
      expect(across.whole.from).to.equal(across.whole.to);
      expect(across.partial.map((p) => p.hour)).to.deep.equal([at('10:00'), at('11:00')]);
    });

    it('clips only the side that is not on a boundary', () => {
      expect(splitByHour({ from: at('10:00'), to: at('11:20') }).partial).to.deep.equal([
        { hour: at('11:00'), from: at('11:00'), to: at('11:20') },
      ]);
      expect(splitByHour({ from: at('09:40'), to: at('11:00') }).partial).to.deep.equal([
        { hour: at('09:00'), from: at('09:40'), to: at('10:00') },
      ]);
    });

    it('gives nothing for an empty window', () => {
      expect(splitByHour({ from: at('10:15'), to: at('10:15') }).partial).to.deep.equal([]);
    });

    it('covers every minute of any window exactly once', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 100_000 }),
          fc.integer({ min: 0, max: 3000 }),
          (start, length) => {
            const from = at('00:00') + start * 60_000;
            const to = from + length * 60_000;
            const { whole, partial } = splitByHour({ from, to });
            const covered =
              whole.to - whole.from + partial.reduce((s, p) => s + (p.to - p.from), 0);
            expect(covered).to.equal(to - from);
            if (whole.from < whole.to)
              expect([whole.from % 3_600_000, whole.to % 3_600_000]).to.deep.equal([0, 0]);
            for (const p of partial) expect(p.from >= whole.to || p.to <= whole.from).to.be.true;
          },
        ),
      );
    });
  });
});
