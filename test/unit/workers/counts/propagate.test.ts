import { expect } from 'chai';
import pino from 'pino';
import { addInto, type CountVector } from '../../../../src/domain/count-vector.ts';
import { MINUTE_MS, SECOND_MS, floorTo } from '../../../../src/domain/duration.ts';
import {
  HOUR_LEVEL,
  LEVELS,
  MINUTE_LEVEL,
  TOP_LEVEL,
  nodeAt,
  spanOf,
  type TreeNode,
} from '../../../../src/domain/time-tree.ts';
import type { PartitionWrite } from '../../../../src/storage/partition-writes.ts';
import { propagate } from '../../../../workers/counts/propagate.ts';

const now = Date.UTC(2026, 11, 3, 12);
const YEAR = 365 * 86_400_000;

interface Generation {
  readonly seconds: Map<string, { counts: CountVector; version: number }>; // shard:second
  readonly nodes: Map<string, { counts: CountVector; version: number }>; // level:start
  readonly hourly: Map<string, number>; // country:hour
}

function emptyGeneration(): Generation {
  return { seconds: new Map(), nodes: new Map(), hourly: new Map() };
}

/** Start facts and the tree in memory: what the rollup reads is what it (or another) wrote. */
function memoryStore(facts: { shard: number; ts: number; country: string; version: number }[]) {
  const { seconds, nodes, hourly } = emptyGeneration();
  const pendingWrites: (() => void)[] = [];
  const countOf = (list: typeof facts) => {
    const bySecond = new Map<number, { counts: CountVector; version: number }>();
    for (const f of list) {
      const s = floorTo(f.ts, SECOND_MS);
      const e = bySecond.get(s) ?? { counts: new Map<string, number>(), version: 0 };
      e.counts.set(f.country, (e.counts.get(f.country) ?? 0) + 1);
      e.version += f.version;
      bySecond.set(s, e);
    }
    return bySecond;
  };
  const w = (apply: () => void): PartitionWrite => {
    pendingWrites.push(apply);
    return { query: 'w', params: [], partition: 'p' };
  };
  const sumOf = (entries: { counts: CountVector; version: number }[]) =>
    entries.reduce(
      (acc, e) => ({ counts: addInto(acc.counts, e.counts), version: acc.version + e.version }),
      { counts: new Map() as CountVector, version: 0 },
    );
  const generations: Generation[] = [{ seconds, nodes, hourly }];
  /** One generation's tables over its own maps: each reads only what was written into it. */
  const tablesOf = (g: Generation) => ({
    countSeconds: {
      secondWrite: (
        shard: number,
        second: number,
        counts: ReadonlyMap<string, number>,
        version: number,
      ) => w(() => g.seconds.set(`${shard}:${second}`, { counts: new Map(counts), version })),
      minuteSums: (minutes: readonly number[], shards: readonly number[]) =>
        Promise.resolve(
          new Map(
            minutes.map((m) => [
              m,
              sumOf(
                [...g.seconds]
                  .filter(([k]) => {
                    const [shard, second] = k.split(':').map(Number);
                    return shards.includes(shard!) && floorTo(second!, MINUTE_MS) === m;
                  })
                  .map(([, v]) => v),
              ),
            ]),
          ),
        ),
    },
    rollups: {
      nodeWrite: (node: TreeNode, counts: ReadonlyMap<string, number>, version: number) =>
        w(() => g.nodes.set(`${node.level}:${node.start}`, { counts: new Map(counts), version })),
      childSums: (level: number, starts: readonly number[]) =>
        Promise.resolve(
          new Map(
            starts.map((start) => [
              start,
              sumOf(
                [...g.nodes]
                  .filter(([k]) => {
                    const [l, s] = k.split(':').map(Number);
                    return l === level - 1 && s! >= start && s! < start + spanOf(level);
                  })
                  .map(([, v]) => v),
              ),
            ]),
          ),
        ),
    },
    countryHourly: {
      hourWrite: (country: string, hour: number, starts: number) =>
        w(() => g.hourly.set(`${country}:${hour}`, starts)),
    },
  });
  return {
    seconds,
    nodes,
    hourly,
    generations,
    deps: {
      startFacts: {
        recountSlice: (shard: number, from: number, to: number) =>
          Promise.resolve(
            countOf(facts.filter((f) => f.shard === shard && f.ts >= from && f.ts < to)),
          ),
        recountMinutes: (shard: number, minutes: readonly number[]) =>
          Promise.resolve(
            countOf(
              facts.filter((f) => f.shard === shard && minutes.includes(floorTo(f.ts, MINUTE_MS))),
            ),
          ),
      },
      generations: () => Promise.resolve(generations.map(tablesOf)),
      // A level is written completely before the next is read: apply on write.
      write: () => {
        for (const apply of pendingWrites.splice(0)) apply();
        return Promise.resolve();
      },
      startShards: () => Promise.resolve(2),
      retentionMs: YEAR,
      now: () => now,
      concurrency: 4,
      logger: pino({ level: 'silent' }),
    },
  };
}

describe('the rollup of a shard’s seconds up the tree', () => {
  const t = now - 3 * 60_000 + 1500;
  const facts = [
    { shard: 0, ts: t, country: 'FI', version: 1 },
    { shard: 0, ts: t + 200, country: 'SE', version: 1 },
    { shard: 1, ts: t + 300, country: 'FI', version: 2 }, // another shard, counted by its owner
  ];

  it('recounts its seconds, sums each minute over every shard, and carries the counts to the top', async () => {
    const store = memoryStore(facts);
    // Shard 1's owner has counted its second already.
    store.seconds.set(`1:${floorTo(t, SECOND_MS)}`, { counts: new Map([['FI', 1]]), version: 2 });
    const second = floorTo(t, SECOND_MS);
    await propagate(new Map([[0, new Map([[second, new Set(['FI', 'SE'])]])]]), store.deps);
    expect(store.seconds.get(`0:${second}`)).to.deep.equal({
      counts: new Map([
        ['FI', 1],
        ['SE', 1],
      ]),
      version: 2,
    });
    for (let level = MINUTE_LEVEL; level <= TOP_LEVEL; level++) {
      const node = store.nodes.get(`${level}:${nodeAt(level, t).start}`);
      expect(node, LEVELS[level]!.name).to.deep.equal({
        counts: new Map([
          ['FI', 2],
          ['SE', 1],
        ]),
        version: 4,
      });
    }
    const hour = nodeAt(HOUR_LEVEL, t).start;
    expect(store.hourly.get(`FI:${hour}`)).to.equal(2);
    expect(store.hourly.get(`SE:${hour}`)).to.equal(1);
  });

  it('writes nothing for seconds that have left the retention', async () => {
    const store = memoryStore([{ shard: 0, ts: now - YEAR - 5000, country: 'FI', version: 1 }]);
    const old = floorTo(now - YEAR - 5000, SECOND_MS);
    const written = await propagate(new Map([[0, new Map([[old, new Set(['FI'])]])]]), store.deps);
    expect(written).to.equal(0);
    expect(store.nodes.size).to.equal(0);
  });

  it('writes no node whose facts are all gone (no version to write it with)', async () => {
    const store = memoryStore([]);
    const second = floorTo(t, SECOND_MS);
    expect(
      await propagate(new Map([[0, new Map([[second, new Set(['FI'])]])]]), store.deps),
    ).to.equal(0);
    expect(store.seconds.size).to.equal(0);
  });

  it('writes every write generation while a rebuild runs, each summed from its own children', async () => {
    const store = memoryStore(facts);
    const rebuilt = emptyGeneration();
    store.generations.push(rebuilt);
    // The old generation has shard 1's second; the rebuild's has not counted it yet.
    store.seconds.set(`1:${floorTo(t, SECOND_MS)}`, { counts: new Map([['FI', 1]]), version: 2 });
    const second = floorTo(t, SECOND_MS);
    await propagate(new Map([[0, new Map([[second, new Set(['FI', 'SE'])]])]]), store.deps);
    const hour = nodeAt(HOUR_LEVEL, t);
    expect(store.nodes.get(`${HOUR_LEVEL}:${hour.start}`)?.counts.get('FI')).to.equal(2);
    // A partial sum, at a smaller version: the rebuild's own count of shard 1 will win over it.
    expect(rebuilt.nodes.get(`${HOUR_LEVEL}:${hour.start}`)).to.deep.equal({
      counts: new Map([
        ['FI', 1],
        ['SE', 1],
      ]),
      version: 2,
    });
    expect(rebuilt.seconds.get(`0:${second}`)).to.deep.equal(store.seconds.get(`0:${second}`));
    expect(rebuilt.hourly.get(`SE:${hour.start}`)).to.equal(1);
  });
});
