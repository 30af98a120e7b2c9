import { expect } from 'chai';
import { HOUR_MS, MINUTE_MS, SECOND_MS } from '../../../../src/domain/duration.ts';
import {
  LIVE_WINDOW_MS,
  MAX_SECONDS_GAP_MS,
  MINUTES_PER_READ,
  secondReads,
} from '../../../../workers/counts/read-plan.ts';

const now = Date.UTC(2026, 11, 2, 12, 0, 30);
const minuteNow = Date.UTC(2026, 11, 2, 12, 0);

describe('rollup read plan', () => {
  it('reads the changed seconds of a live minute as slices, close seconds sharing one', () => {
    const s = (n: number) => minuteNow + n * SECOND_MS;
    const far = 3 + MAX_SECONDS_GAP_MS / SECOND_MS + 1;
    const plan = secondReads([s(3), s(0), s(1), s(far)], now);
    expect(plan.minutes).to.deep.equal([]);
    expect(plan.slices).to.deep.equal([
      { from: s(0), to: s(4) },
      { from: s(far), to: s(far + 1) },
    ]);
  });

  it('covers every changed second by exactly one read, each slice inside its minute', () => {
    const seconds = Array.from({ length: 400 }, (_, i) => now - 3 * HOUR_MS + i * 37 * SECOND_MS);
    const plan = secondReads(seconds, now);
    for (const second of seconds) {
      const bySlice = plan.slices.filter((r) => r.from <= second && second < r.to).length;
      const byMinute = plan.minutes
        .flat()
        .filter((m) => m <= second && second < m + MINUTE_MS).length;
      expect(bySlice + byMinute, `second ${second}`).to.equal(1);
    }
    for (const { from, to } of plan.slices) {
      expect(Math.floor(from / MINUTE_MS)).to.equal(Math.floor((to - 1) / MINUTE_MS));
      expect(from).to.be.greaterThan(now - LIVE_WINDOW_MS - MINUTE_MS);
    }
  });

  it('reads minutes older than the live window whole, many per read', () => {
    const old = Array.from(
      { length: MINUTES_PER_READ + 5 },
      (_, i) => now - LIVE_WINDOW_MS - (i + 1) * MINUTE_MS,
    );
    const plan = secondReads([...old, ...old.map((s) => s + SECOND_MS)], now);
    expect(plan.slices).to.deep.equal([]);
    expect(plan.minutes.map((m) => m.length)).to.deep.equal([MINUTES_PER_READ, 5]);
    expect(plan.minutes.flat()).to.have.length(new Set(plan.minutes.flat()).size);
  });
});
