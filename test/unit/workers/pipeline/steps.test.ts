import { expect } from 'chai';
import type { SessionEvent } from '../../../../src/domain/events.ts';
import type { CompletedSession, StartFact, Variant } from '../../../../src/domain/pairing.ts';
import { shardOf } from '../../../../src/domain/shard.ts';
import type { PartitionWrite } from '../../../../src/storage/partition-writes.ts';
import { decidePairs } from '../../../../workers/pipeline/decide-pairs.ts';
import { recordFacts } from '../../../../workers/pipeline/record-facts.ts';
import { writeSessions } from '../../../../workers/pipeline/write-sessions.ts';

const YEAR = 365 * 86_400_000;
const now = Date.UTC(2026, 11, 3, 12);
const start = (sessionId: string, ts = now - 60_000, country = 'FI'): SessionEvent => ({
  kind: 'start',
  sessionId,
  playerId: `p-${sessionId}`,
  country,
  ts,
});
const end = (sessionId: string, ts = now): SessionEvent => ({
  kind: 'end',
  sessionId,
  playerId: `p-${sessionId}`,
  country: undefined,
  ts,
});
const variant = (e: SessionEvent): Variant => ({
  kind: e.kind,
  ts: e.ts,
  playerId: e.playerId,
  country: e.country ?? '',
});

/** A write as the fakes describe it: what, for whom, at which version. */
const w = (what: string): PartitionWrite => ({ query: what, params: [], partition: what });

/**
 * Session a's decision when an earlier end arrives after a later one was paired: the completed
 * row moves to the earlier end, and the row the later end wrote is retracted.
 */
function earlierEndWins() {
  const a = start('a', now - 120_000);
  const late = end('a', now);
  const early = end('a', now - 60_000);
  const [decision] = decidePairs(
    [early],
    new Map([['a', [variant(a), variant(late), variant(early)]]]),
  );
  if (!decision) throw new Error('no decision for session a');
  return decision;
}

describe('the write steps', () => {
  describe('record facts', () => {
    it('writes every event’s variant, then reads back each touched session once', async () => {
      const log: string[] = [];
      const views = await recordFacts([start('a'), end('a'), start('b')], {
        sessionFacts: {
          recordWrite: (e, ttl) => w(`fact ${e.sessionId} ${e.kind} ttl>0:${ttl > 0}`),
          views: (ids) => {
            log.push(`read ${ids.join(',')}`);
            return Promise.resolve(new Map(ids.map((id) => [id, []])));
          },
        },
        write: (writes) => (log.push(...writes.map((x) => x.query)), Promise.resolve()),
        retentionMs: YEAR,
        now,
        concurrency: 4,
      });
      expect(log).to.deep.equal([
        'fact a start ttl>0:true',
        'fact a end ttl>0:true',
        'fact b start ttl>0:true',
        'read a,b',
      ]);
      expect([...views.keys()]).to.deep.equal(['a', 'b']);
    });
  });

  describe('decide pairs', () => {
    it('decides every viewed session, and knows which ones the events hold a start of', () => {
      const views = new Map([
        ['a', [variant(start('a')), variant(end('a'))]],
        ['b', [variant(end('b'))]],
      ]);
      const decisions = decidePairs([end('a'), end('b'), start('c')], views);
      expect(
        decisions.map((d) => [d.sessionId, d.holdsStart, !!d.decision.completed]),
      ).to.deep.equal([
        ['a', false, true],
        ['b', false, false],
      ]);
      expect(decidePairs([start('a')], views)[0]?.holdsStart).to.equal(true);
    });
  });

  describe('write completed sessions', () => {
    const fakes = () => {
      const writes: string[] = [];
      return {
        writes,
        deps: {
          startFacts: {
            startWrite: (shard: number, id: string, fact: StartFact, version: number) =>
              w(`start ${shard} ${id} live:${fact.live} v${version}`),
          },
          completedSessions: [
            {
              upsertWrite: (s: CompletedSession, version: number) =>
                w(`completed ${s.sessionId} v${version}`),
              retractWrite: (player: string, endTs: number, id: string, version: number) =>
                w(`retract ${id} ${endTs} v${version}`),
            },
          ],
          write: (batch: readonly PartitionWrite[]) => (
            writes.push(...batch.map((x) => x.query)),
            Promise.resolve()
          ),
          shards: 4,
          retentionMs: YEAR,
          now,
        },
      };
    };

    it('writes a session’s start facts in its shard and its completed row, and names the second it changed', async () => {
      const f = fakes();
      const a = start('a', now - 61_500);
      const [decision] = decidePairs(
        [a, end('a')],
        new Map([['a', [variant(a), variant(end('a'))]]]),
      );
      const dirty = await writeSessions([decision!], f.deps);
      const shard = shardOf('a', 4);
      expect(f.writes).to.deep.equal([`start ${shard} a live:true v1`, 'completed a v2']);
      expect(dirty).to.deep.equal(new Map([[shard, new Map([[now - 62_000, new Set(['FI'])]])]]));
    });

    it('leaves the start facts to a micro-batch that holds a start: an end alone changes no count', async () => {
      const f = fakes();
      const a = start('a');
      const [decision] = decidePairs([end('a')], new Map([['a', [variant(a), variant(end('a'))]]]));
      const dirty = await writeSessions([decision!], f.deps);
      expect(f.writes).to.deep.equal(['completed a v2']);
      expect(dirty.size).to.equal(0);
    });

    it('writes nothing for a start that left the retention', async () => {
      const f = fakes();
      const old = start('a', now - YEAR - 1000);
      const [decision] = decidePairs([old], new Map([['a', [variant(old)]]]));
      expect((await writeSessions([decision!], f.deps)).size).to.equal(0);
      expect(f.writes).to.deep.equal([]);
    });

    it('retracts the completed row a smaller view wrote for an end that lost to an earlier one', async () => {
      const f = fakes();
      const decision = earlierEndWins();
      await writeSessions([decision], f.deps);
      expect(f.writes).to.deep.equal(['completed a v3', `retract a ${now} v3`]);
    });

    it('writes the completed row and its retractions to both generations while a rebuild runs', async () => {
      const f = fakes();
      const generation = (g: number) => ({
        upsertWrite: (c: CompletedSession, version: number) =>
          w(`g${g} completed ${c.sessionId} v${version}`),
        retractWrite: (_p: string, endTs: number, id: string, version: number) =>
          w(`g${g} retract ${id} ${endTs} v${version}`),
      });
      const decision = earlierEndWins();
      await writeSessions([decision], {
        ...f.deps,
        completedSessions: [generation(0), generation(1)],
      });
      expect(f.writes).to.deep.equal([
        'g0 completed a v3',
        'g1 completed a v3',
        `g0 retract a ${now} v3`,
        `g1 retract a ${now} v3`,
      ]);
    });
  });
});
