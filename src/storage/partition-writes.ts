import pMap from 'p-map';
import type { StatementRunner } from './request-limit.ts';
import { IDEMPOTENT } from './statement-options.ts';

/**
 * One idempotent write, built by a repository and sent by `writeGrouped`: the repositories know
 * the statements, the worker decides how many go in one request. `partition` names the table and
 * partition key, so that writes to one partition can share an unlogged batch.
 */
export interface PartitionWrite {
  readonly query: string;
  readonly params: readonly unknown[];
  readonly partition: string;
}

/**
 * What one request may carry. Cassandra fails a batch above `batch_size_fail_threshold` (50 KiB
 * by default) and warns above `batch_size_warn_threshold`; 32 KiB of bound values stays under the
 * first with room for the rows' own overhead.
 */
export const MAX_BATCH_BYTES = 32 * 1024;
export const MAX_BATCH_STATEMENTS = 200;

export interface GroupedWriteOptions {
  /** Requests in flight at once. */
  readonly concurrency: number;
  /**
   * Every node holds every partition (one node, or as many replicas as nodes): a batch across
   * partitions is then applied by its coordinator alone, as cheaply as one of a single partition.
   * Otherwise a batch holds one partition's writes, so no coordinator forwards mutations for it.
   */
  readonly acrossPartitions: boolean;
}

/**
 * Sends writes in as few requests as the options allow: unlogged batches (no batch log — every
 * write is idempotent and versioned, so a batch retried or half-applied converges like single
 * statements do) packed up to MAX_BATCH_BYTES / MAX_BATCH_STATEMENTS; a lone write goes as it is.
 */
export async function writeGrouped(
  client: StatementRunner,
  writes: readonly PartitionWrite[],
  options: GroupedWriteOptions,
): Promise<void> {
  const requests = options.acrossPartitions
    ? packBatches(writes)
    : groupByPartition(writes).flatMap((group) => packBatches(group));
  await pMap(
    requests,
    async (request) => {
      const [only] = request;
      if (request.length === 1 && only) {
        await client.execute(only.query, [...only.params], IDEMPOTENT);
        return;
      }
      await client.batch(
        request.map((w) => ({ query: w.query, params: [...w.params] })),
        { ...IDEMPOTENT, logged: false },
      );
    },
    { concurrency: options.concurrency },
  );
}

/** One write on its own, for callers that measure single statements (the raw-write bench). */
export async function executeWrite(
  client: Pick<StatementRunner, 'execute'>,
  write: PartitionWrite,
): Promise<void> {
  await client.execute(write.query, [...write.params], IDEMPOTENT);
}

/** Writes by partition, in the order each partition was first written. */
export function groupByPartition(writes: readonly PartitionWrite[]): PartitionWrite[][] {
  const groups = new Map<string, PartitionWrite[]>();
  for (const w of writes) {
    const group = groups.get(w.partition);
    if (group) group.push(w);
    else groups.set(w.partition, [w]);
  }
  return [...groups.values()];
}

/** Consecutive writes cut into requests within MAX_BATCH_BYTES and MAX_BATCH_STATEMENTS. */
export function packBatches(writes: readonly PartitionWrite[]): PartitionWrite[][] {
  const batches: PartitionWrite[][] = [];
  let current: PartitionWrite[] = [];
  let bytes = 0;
  for (const w of writes) {
    const size = estimatedBytes(w);
    if (
      current.length > 0 &&
      (bytes + size > MAX_BATCH_BYTES || current.length >= MAX_BATCH_STATEMENTS)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(w);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** The bound values' size as Cassandra will count it, near enough to stay under its limits. */
export function estimatedBytes(write: PartitionWrite): number {
  let bytes = 0;
  for (const p of write.params) {
    if (typeof p === 'string') bytes += Buffer.byteLength(p);
    else if (Buffer.isBuffer(p)) bytes += p.length;
    else if (typeof p === 'boolean') bytes += 1;
    else bytes += 8; // numbers, dates, longs
  }
  return bytes;
}
