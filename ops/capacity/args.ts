import { parseArgs } from 'node:util';
import { UsageError } from '../lib/errors.ts';
import { REDIS, SETTINGS } from './measured.ts';
import { DEFAULT_INPUT, type CapacityInput } from './model.ts';

export const USAGE = [
  'usage: npm run capacity -- --events-per-second N[,N…] [--nodes N] [--rf 3] [--shards S] [--queues Q] [--workers W]',
  '         [--cores-per-node 8] [--data-per-node-tb 2] [--partition-writes 5000] [--redis-memory-gib 16]',
  '         [--keep-done-seconds 86400]',
  'Prints, as Markdown, what the sharded design needs at each rate (several: a comparison first);',
  '--nodes, --shards, --queues and --workers are chosen from the model when not given.',
  'Measured figures: ops/capacity/measured.ts.',
].join('\n');

export type CapacityArgs =
  { readonly help: true } | { readonly help: false; readonly inputs: readonly CapacityInput[] };

const OPTIONS = {
  help: { type: 'boolean', short: 'h', default: false },
  'events-per-second': { type: 'string' },
  nodes: { type: 'string' },
  rf: { type: 'string' },
  shards: { type: 'string' },
  queues: { type: 'string' },
  workers: { type: 'string' },
  'cores-per-node': { type: 'string' },
  'data-per-node-tb': { type: 'string' },
  'partition-writes': { type: 'string' },
  'redis-memory-gib': { type: 'string' },
  'keep-done-seconds': { type: 'string' },
} as const;

/** The command line as the model's input; a UsageError (exit code 2) says what is wrong. */
export function parseCapacityArgs(argv: readonly string[]): CapacityArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err), USAGE);
  }
  const v = parsed.values;
  if (v.help) return { help: true };
  if (v['events-per-second'] === undefined)
    throw new UsageError('--events-per-second is required', USAGE);

  const rf = integer('--rf', v.rf, 1, 10) ?? DEFAULT_INPUT.rf;
  const nodes = integer('--nodes', v.nodes, 1, 1_000_000);
  if (nodes !== undefined && nodes < rf)
    throw new UsageError(`--nodes ${nodes} cannot hold ${rf} replicas (--rf ${rf})`, USAGE);
  const backlogGiB = (SETTINGS.maxQueueBacklog * REDIS.waitingBatchBytes) / 2 ** 30;
  const memoryGiB = positive('--redis-memory-gib', v['redis-memory-gib']);
  if (memoryGiB !== undefined && memoryGiB <= backlogGiB)
    throw new UsageError(
      `--redis-memory-gib must exceed a full backlog's ${backlogGiB.toFixed(2)} GiB`,
      USAGE,
    );
  const dataTb = positive('--data-per-node-tb', v['data-per-node-tb']);
  const rates = v['events-per-second']
    .split(',')
    .map((rate) => positive('--events-per-second', rate.trim()) ?? 0);
  const common = {
    nodes,
    rf,
    shards: integer('--shards', v.shards, 1, 1_000_000),
    queues: integer('--queues', v.queues, 1, 100_000),
    workers: integer('--workers', v.workers, 1, 10_000_000),
    coresPerNode:
      integer('--cores-per-node', v['cores-per-node'], 1, 1024) ?? DEFAULT_INPUT.coresPerNode,
    partitionWritesPerSecond:
      positive('--partition-writes', v['partition-writes']) ??
      DEFAULT_INPUT.partitionWritesPerSecond,
    redisMemoryBytes:
      memoryGiB === undefined ? DEFAULT_INPUT.redisMemoryBytes : memoryGiB * 2 ** 30,
    dataBytesPerNode: dataTb === undefined ? DEFAULT_INPUT.dataBytesPerNode : dataTb * 1e12,
    keepDoneSeconds:
      integer('--keep-done-seconds', v['keep-done-seconds'], 3600, 365 * 86_400) ??
      DEFAULT_INPUT.keepDoneSeconds,
  };
  return { help: false, inputs: rates.map((eventsPerSecond) => ({ ...common, eventsPerSecond })) };
}

function integer(name: string, text: string | undefined, min: number, max: number) {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, not ${text}`, USAGE);
  return value;
}

// Rates and sizes may be fractional (0.5 TB per node), never zero or negative.
function positive(name: string, text: string | undefined) {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^(\d+(\.\d*)?|\.\d+)(e\d+)?$/i.test(text) || !(value > 0) || value > 1e12)
    throw new UsageError(`${name} must be a positive number, not ${text}`, USAGE);
  return value;
}
