import type { RedisMemoryResult } from './phases/redis-memory.ts';
import { n, table } from './report-format.ts';

const RATES = [1000, 2500, 5000];
const HOUR_S = 3600;
const DAY_S = 86_400;
const size = (bytes: number) =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** What Redis holds per batch, and the sizing table README's Redis capacity section shows. */
export function renderRedisMemory(r: RedisMemoryResult): string {
  const out: string[] = [];
  out.push(
    `\nRedis per batch (INFO used_memory, queue drained; ${n(r.batches)} done batches of ${r.eventsPerBatch} events)`,
  );
  out.push(
    table(
      ['what', 'bytes'],
      [
        ['done batch, record, with Idempotency-Key', n(r.doneBytesPerBatch.keyed)],
        ['done batch, record, without', n(r.doneBytesPerBatch.unkeyed)],
        ['done batch, whole completed job kept (before)', n(r.keptJobBytesPerBatch)],
        ['waiting batch (its job)', n(r.waitingBytesPerBatch)],
        ['waiting event', n(r.waitingBytesPerEvent)],
      ],
    ),
  );
  const done = Math.max(r.doneBytesPerBatch.keyed, r.doneBytesPerBatch.unkeyed);
  const batchesPerSecond = (rate: number) => rate / r.eventsPerBatch;
  out.push(
    `\nSizing (batches of ${r.eventsPerBatch}; done records at the keyed figure; backlog = events waiting while workers cannot write)`,
  );
  out.push(
    table(
      [
        'events/s',
        'done records, 1 h window',
        'done records, 1 day window',
        'backlog of 1 h',
        'backlog of 1 day',
      ],
      RATES.map((rate) => [
        n(rate),
        size(batchesPerSecond(rate) * HOUR_S * done),
        size(batchesPerSecond(rate) * DAY_S * done),
        size(rate * HOUR_S * r.waitingBytesPerEvent),
        size(rate * DAY_S * r.waitingBytesPerEvent),
      ]),
    ),
  );
  return out.join('\n');
}
