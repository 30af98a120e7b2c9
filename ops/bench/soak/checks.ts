import type { SoakSample } from './sample.ts';

/**
 * What must hold over a soak (issue 27), as pass/fail checks on its samples. Pure, for tests.
 *
 * Warm-up: the first 5 minutes (a third of a shorter run) are left out of every trend — a JIT
 * and caches fill then, and Cassandra's memtables and compactions settle. A leak is told from a
 * warm-up by the slope after it: memory that still climbs at more than `RSS_SLOPE_MIB_PER_MIN`
 * once warm is growing with the work done, not with what was loaded once.
 */
export const RSS_SLOPE_MIB_PER_MIN = 0.5;
/** Bytes of Redis a done batch's record takes without an Idempotency-Key (README, Redis capacity). */
export const RECORD_BYTES = 181;
/** Growth of Redis beyond the records' that still passes (allocator pages, BullMQ's streams). */
export const REDIS_SLACK_MIB = 16;
export const P99_RATIO = 1.5;
/** A backlog above this at the end (10 s of input at 1,500 events/s) is not flat. */
export const BACKLOG_END_JOBS = 1500;

export interface SoakCheck {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

export function soakChecks(samples: readonly SoakSample[]): SoakCheck[] {
  const end = samples.at(-1)?.t ?? 0;
  const warm = Math.min(300, end / 3);
  const after = samples.filter((s) => s.t >= warm);
  const span = Math.min(300, (end - warm) / 3); // five minutes, or a third of what is left
  const first = after.filter((s) => s.t < warm + span);
  const last = after.filter((s) => s.t > end - span);
  const errors = samples.reduce((n, s) => n + s.errors, 0);
  const checks: SoakCheck[] = [
    { name: 'zero errors', pass: errors === 0, detail: `${errors} errors` },
  ];
  for (const [name, key] of [
    ['API RSS flat', 'apiRssMiB'],
    ['worker RSS flat', 'workerRssMiB'],
  ] as const) {
    const slope = slopePerMinute(after, key);
    checks.push({
      name,
      pass: slope <= RSS_SLOPE_MIB_PER_MIN,
      detail: `${slope.toFixed(2)} MiB/min after a ${Math.round(warm)} s warm-up (limit ${RSS_SLOPE_MIB_PER_MIN})`,
    });
  }
  const [a, b] = [after[0], after.at(-1)];
  if (a && b) {
    const grown = b.redisUsedMiB - a.redisUsedMiB;
    const records = ((b.accepted - a.accepted) * RECORD_BYTES) / 1048576;
    checks.push({
      name: 'Redis grows only by done records',
      pass: grown <= records + REDIS_SLACK_MIB,
      detail: `${grown.toFixed(1)} MiB grown, ${records.toFixed(1)} MiB of records predicted (+${REDIS_SLACK_MIB} slack)`,
    });
  }
  for (const [name, key] of [
    ['POST p99 steady', 'postP99Ms'],
    ['GET p99 steady', 'getP99Ms'],
  ] as const) {
    const [early, late] = [max(first, key), max(last, key)];
    checks.push({
      name,
      pass: late <= early * P99_RATIO,
      detail: `last ${Math.round(span)} s ${late.toFixed(0)} ms vs first ${early.toFixed(0)} ms after warm-up (limit ×${P99_RATIO})`,
    });
  }
  const backlogEnd = b?.backlog ?? 0;
  checks.push({
    name: 'backlog flat',
    pass: backlogEnd < BACKLOG_END_JOBS && slopePerMinute(after, 'backlog') * 60 < BACKLOG_END_JOBS,
    detail: `${backlogEnd} jobs at the end, ${slopePerMinute(after, 'backlog').toFixed(1)} jobs/min`,
  });
  return checks;
}

/** Least-squares slope of a series, per minute. */
export function slopePerMinute(samples: readonly SoakSample[], key: keyof SoakSample): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mt = samples.reduce((s, x) => s + x.t, 0) / n;
  const my = samples.reduce((s, x) => s + x[key], 0) / n;
  const num = samples.reduce((s, x) => s + (x.t - mt) * (x[key] - my), 0);
  const den = samples.reduce((s, x) => s + (x.t - mt) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}

/** The highest 10-s p99 of a span: a p99 of p99s would hide the worst window. */
function max(samples: readonly SoakSample[], key: keyof SoakSample): number {
  return samples.reduce((m, s) => Math.max(m, s[key]), 0);
}
