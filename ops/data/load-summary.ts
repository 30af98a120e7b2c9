import type { WaitResult } from './batch-waiter.ts';
import type { LoadResult } from './loader.ts';
import { describeCounts } from './progress.ts';

const n = (x: number) => x.toLocaleString('en-US');

/** Whether the run lost anything: the loader's exit code is non-zero exactly then. */
export function somethingLost(result: LoadResult, waited?: WaitResult): boolean {
  const unconfirmed = waited
    ? waited.failed.length + waited.unknown.length + waited.pending.length
    : 0;
  return (
    result.tally.lost > 0 || result.readError !== undefined || result.interrupted || unconfirmed > 0
  );
}

/** The closing report of a load, one line per figure. */
export function summaryLines(
  file: string,
  url: string,
  result: LoadResult,
  waited?: WaitResult,
): string[] {
  const { tally } = result;
  const seconds = result.durationMs / 1000;
  const lines = [
    `Loaded ${file} into ${url}${result.interrupted ? ' (interrupted)' : ''}`,
    `  events read  ${n(tally.read)}`,
    `  accepted     ${n(tally.accepted)}`,
    `  rejected     ${n(tally.rejectedTotal)}${tally.rejectedTotal ? ` (${describeCounts(tally.rejected)})` : ''}`,
    `  lost         ${n(tally.lost)}${tally.lost ? ` (${describeLost(result)})` : ''}`,
    `  batches      ${n(tally.batches)} (${n(tally.lostBatches)} lost after retries, ${n(tally.unsentBatches)} not sent)`,
    `  retries      ${n(tally.retries)}`,
    `  duration     ${seconds.toFixed(1)} s`,
    `  rate         ${n(Math.round((tally.accepted + tally.rejectedTotal) / Math.max(seconds, 0.001)))} events/s answered`,
  ];
  if (result.offsetMs !== undefined && result.newestMs !== undefined) {
    lines.splice(
      2,
      0,
      `  rebased      every ts ${describeOffset(result.offsetMs)}, newest ${new Date(result.newestMs).toISOString()} → ${new Date(result.newestMs + result.offsetMs).toISOString()}`,
    );
  }
  if (waited) {
    lines.push(
      `  processed    ${n(waited.done)} batches done, ${n(waited.failed.length)} failed, ${n(waited.unknown.length)} unknown, ${n(waited.pending.length)} still open`,
    );
    for (const id of waited.failed.slice(0, 10)) lines.push(`    failed: ${id}`);
  }
  if (result.readError)
    lines.push(`✖ the file could not be read to its end: ${result.readError.message}`);
  if (result.gaveUp)
    lines.push(`✖ gave up: ${n(tally.lostBatches)} batches in a row could not be delivered`);
  if ((tally.rejected.get('expired') ?? 0) > 0 && result.offsetMs === undefined) {
    lines.push(
      '  (events were expired: --rebase-to-now moves old data, like the 2016 data set, to now)',
    );
  }
  const resume = result.resume;
  if (resume && resume.next < resume.of && somethingLost(result, waited)) {
    const offset =
      result.offsetMs === undefined ? '' : ` --offset-seconds ${result.offsetMs / 1000}`;
    lines.push(
      `  resume       npm run load -- ${file} --url ${url} --bulk --events-per-batch ${resume.eventsPerBatch} --resume-from ${resume.next}${offset}`,
      `               (the first ${n(resume.next)} of ${n(resume.of)} batches were answered; a rerun of the whole file is exact too)`,
    );
  }
  if (result.interrupted) lines.push('✖ interrupted: the rest of the file was not sent');
  else
    lines.push(somethingLost(result, waited) ? '✖ not everything was delivered' : '✔ nothing lost');
  return lines;
}

function describeLost(result: LoadResult): string {
  const reasons = [...result.tally.lostReasons].map(([reason, count]) => `${n(count)} × ${reason}`);
  if (result.tally.unsentBatches) reasons.push(`${n(result.tally.unsentBatches)} batches not sent`);
  return reasons.join('; ');
}

/** "+3,287 days 05:06:07" */
export function describeOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const total = Math.abs(ms) / 1000;
  const days = Math.floor(total / 86_400);
  const clock = new Date((total % 86_400) * 1000).toISOString().slice(11, 19);
  return `${sign}${n(days)} days ${clock}`;
}
