import { performance } from 'node:perf_hooks';
import pMap from 'p-map';
import { ttlSeconds } from '../../../src/domain/retention.ts';
import { CompletedSessions } from '../../../src/storage/completed-sessions.ts';
import { executeWrite } from '../../../src/storage/partition-writes.ts';
import { isStorageUnavailable } from '../../../src/storage/storage-errors.ts';
import { SessionFacts } from '../../../src/storage/session-facts.ts';
import { StartFacts } from '../../../src/storage/start-facts.ts';
import type { BenchTarget } from '../target.ts';
import { DAY_MS } from '../../../src/domain/duration.ts';

// The contract's default retention.
const YEAR_MS = 365 * DAY_MS;

/**
 * The ceiling: the rows a session's two events cause — two session facts, a start fact and a
 * completed session — written straight to Cassandra with the service's own prepared statements,
 * as fast as the node takes them, with no queue, no read-back and no rollup. End-to-end ÷ this is
 * the share of the node's write capacity the service turns into ingested events.
 */
export async function rawWrites(
  target: BenchTarget,
  options: { sessions: number; concurrency: number },
): Promise<{
  events: number;
  rows: number;
  seconds: number;
  eventsPerSecond: number;
  rowsPerSecond: number;
  retriedWrites: number;
}> {
  const sessionFacts = new SessionFacts(target.cassandra, target.keyspace);
  const startFacts = new StartFacts(target.cassandra, target.keyspace);
  const completed = new CompletedSessions(target.cassandra, target.keyspace);
  const now = Date.now();
  let retried = 0;
  const started = performance.now();
  await pMap(
    Array.from({ length: options.sessions }, (_, i) => i),
    async (i) => {
      const sessionId = `raw-${target.runId}-${i}`;
      const playerId = `raw-player-${i % 20_000}`;
      const end = now - (i % 3600) * 1000;
      const start = end - 600_000;
      const ttl = ttlSeconds(start, now, YEAR_MS);
      const writes = [
        sessionFacts.recordWrite(
          { kind: 'start', sessionId, playerId, country: 'FI', ts: start },
          ttl,
        ),
        sessionFacts.recordWrite(
          { kind: 'end', sessionId, playerId, country: undefined, ts: end },
          ttl,
        ),
        startFacts.startWrite(
          0,
          sessionId,
          { variant: { kind: 'start', ts: start, playerId, country: 'FI' }, live: true },
          1,
          ttl,
        ),
        completed.upsertWrite(
          { playerId, sessionId, startTs: start, endTs: end, country: 'FI' },
          2,
          ttl,
        ),
      ];
      // One statement per row, as a naive writer sends them: the ceiling the service is held to.
      // A write that times out (three replicas on two cores) is sent again, as the service would.
      await Promise.all(
        writes.map(async (w) => {
          for (let attempt = 1; ; attempt++) {
            try {
              return await executeWrite(target.cassandra, w);
            } catch (err) {
              if (!isStorageUnavailable(err) || attempt >= 5) throw err;
              retried++;
            }
          }
        }),
      );
    },
    { concurrency: options.concurrency },
  );
  const seconds = (performance.now() - started) / 1000;
  const events = options.sessions * 2;
  const rows = options.sessions * 4;
  return {
    events,
    rows,
    seconds,
    eventsPerSecond: Math.round(events / seconds),
    rowsPerSecond: Math.round(rows / seconds),
    retriedWrites: retried,
  };
}
