import cliProgress from 'cli-progress';
import type { LoadProgress } from './loader.ts';

const n = (x: number) => x.toLocaleString('en-US');

/** "expired 12, invalid_event 3", largest first; "0" when nothing was rejected. */
export function describeCounts(counts: ReadonlyMap<string, number>): string {
  const entries = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries.length ? entries.map(([code, count]) => `${code} ${n(count)}`).join(', ') : '0';
}

/**
 * The loader's progress bar, on stderr (and only on a terminal: cli-progress draws nothing
 * otherwise, so logs and tests stay clean). While the first pass counts the lines, it follows
 * the bytes read from the file; then the events settled out of those counted.
 */
export class LoadProgressBar {
  private readonly bar = new cliProgress.SingleBar(
    {
      format:
        '{phase} {bar} {percentage}% | {done} {unit} | {rate}/s | ETA {eta_formatted} | accepted {accepted} | rejected {rejected} | retries {retries} | lost {lost}',
      hideCursor: true,
      etaBuffer: 100,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  private phase: LoadProgress['phase'] | undefined;
  private phaseStarted = 0;

  update({ phase, done, total, tally, source }: LoadProgress): void {
    const scanning = phase !== 'load';
    const seconds = Math.max(0.001, (performance.now() - this.phaseStarted) / 1000);
    const payload = {
      phase: PHASE_LABELS[phase],
      done: n(done),
      unit: scanning ? 'lines' : 'events',
      rate: phase === this.phase ? n(Math.round(done / seconds)) : '0',
      accepted: n(tally.accepted),
      rejected: describeCounts(tally.rejected),
      retries: n(tally.retries),
      lost: n(tally.lost),
    };
    const [value, max] = scanning ? [source.bytesRead(), source.totalBytes] : [done, total ?? 0];
    if (phase !== this.phase) {
      if (this.phase) this.bar.stop();
      this.phase = phase;
      this.phaseStarted = performance.now();
      this.bar.start(Math.max(1, max), value, payload);
    } else {
      this.bar.update(value, payload);
    }
  }

  stop(): void {
    if (this.phase) this.bar.stop();
    this.phase = undefined;
  }
}

const PHASE_LABELS: Record<LoadProgress['phase'], string> = {
  scan: 'counting lines',
  plan: 'reading and planning',
  load: 'loading',
};
