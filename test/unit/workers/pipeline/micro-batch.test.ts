import { expect } from 'chai';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { SessionEvent } from '../../../../src/domain/events.ts';
import type { Variant } from '../../../../src/domain/pairing.ts';
import type { PartitionWrite } from '../../../../src/storage/partition-writes.ts';
import { createMicroBatch } from '../../../../workers/pipeline/micro-batch.ts';
import { pipelineMetrics } from '../../../../workers/pipeline/pipeline-metrics.ts';

const now = Date.UTC(2026, 11, 3, 12);
const ev = (kind: 'start' | 'end', sessionId: string, ts: number): SessionEvent => ({
  kind,
  sessionId,
  playerId: 'p',
  country: kind === 'start' ? 'FI' : undefined,
  ts,
});

/** A store in memory, as far as the steps see it: facts by session, and every write sent. */
function fakeStore() {
  const facts = new Map<string, Variant[]>();
  const sent: string[] = [];
  const w = (what: string): PartitionWrite => ({ query: what, params: [], partition: what });
  return {
    facts,
    sent,
    deps: {
      sessionFacts: {
        recordWrite: (e: SessionEvent) => {
          const list = facts.get(e.sessionId) ?? [];
          list.push({ kind: e.kind, ts: e.ts, playerId: e.playerId, country: e.country ?? '' });
          facts.set(e.sessionId, list);
          return w(`fact ${e.sessionId} ${e.kind}`);
        },
        views: (ids: readonly string[]) =>
          Promise.resolve(new Map(ids.map((id) => [id, facts.get(id) ?? []]))),
      },
      startFacts: { startWrite: (_s: number, id: string) => w(`start ${id}`) },
      completedSessions: () =>
        Promise.resolve([
          {
            upsertWrite: (s: { sessionId: string }) => w(`completed ${s.sessionId}`),
            retractWrite: (_p: string, _e: number, id: string) => w(`retract ${id}`),
          },
        ]),
      write: (writes: readonly PartitionWrite[]) => {
        sent.push(writes.map((x) => x.query).join(' + '));
        return Promise.resolve();
      },
      startShards: () => Promise.resolve(1),
      retentionMs: 365 * 86_400_000,
      now: () => now,
      concurrency: 4,
      logger: pino({ level: 'silent' }),
      metrics: pipelineMetrics(new Registry()),
    },
  };
}

describe('a micro-batch of the jobs a worker holds', () => {
  it('records the facts in one round, then writes what the decisions imply in one more', async () => {
    const store = fakeStore();
    const run = createMicroBatch(store.deps);
    const dirty = await run([
      ev('start', 'a', now - 60_500),
      ev('end', 'a', now),
      ev('end', 'b', now),
    ]);
    expect(store.sent).to.deep.equal([
      'fact a start + fact a end + fact b end',
      'start a + completed a',
    ]);
    expect(dirty).to.deep.equal(new Map([[0, new Map([[now - 61_000, new Set(['FI'])]])]]));
  });

  it('counts the anomalies it meets, and writes no completed row for them', async () => {
    const store = fakeStore();
    const registry = new Registry();
    const run = createMicroBatch({ ...store.deps, metrics: pipelineMetrics(registry) });
    await run([ev('start', 'x', now), ev('end', 'x', now - 1000)]);
    expect(store.sent[1]).to.equal('start x');
    const anomalies = await registry.getSingleMetricAsString('session_anomalies_total');
    expect(anomalies).to.match(/session_anomalies_total\{kind="end_before_start"\} 1/);
  });

  it('measures how many events each micro-batch holds', async () => {
    const store = fakeStore();
    const registry = new Registry();
    const run = createMicroBatch({ ...store.deps, metrics: pipelineMetrics(registry) });
    await run([ev('start', 'a', now), ev('start', 'b', now), ev('start', 'c', now)]);
    const size = await registry.getSingleMetricAsString('micro_batch_events');
    expect(size).to.match(/micro_batch_events_sum 3\b/);
    expect(size).to.match(/micro_batch_events_count 1\b/);
  });
});
