import { expect } from 'chai';
import { addInto, type CountVector } from '../../../src/domain/count-vector.ts';
import { MINUTE_MS, SECOND_MS, floorTo } from '../../../src/domain/duration.ts';
import {
  HOUR_LEVEL,
  MINUTE_LEVEL,
  TOP_LEVEL,
  nodeAt,
  spanOf,
  type TreeNode,
} from '../../../src/domain/time-tree.ts';
import type { PartitionWrite } from '../../../src/storage/partition-writes.ts';
import { nodeKey } from '../../../src/storage/stored-nodes.ts';
import { CountPages } from '../../../ops/rebuild/count-pages.ts';

const now = Date.UTC(2026, 11, 4, 12);
const YEAR = 365 * 86_400_000;
type Sum = { counts: CountVector; version: number };
type Fact = { shard: number; ts: number; country: string; live: boolean; version: number };

/** Start facts and one generation of read model 1 in memory; `frozen` drops every write. */
function memory(facts: Fact[]) {
  const seconds = new Map<string, Sum>(); // shard:second
  const nodes = new Map<string, Sum>(); // level:start
  const hourly = new Map<string, number>(); // country:hour
  const pending: (() => void)[] = [];
  const state = { frozen: false };
  const w = (apply: () => void): PartitionWrite => {
    pending.push(apply);
    return { query: 'w', params: [], partition: 'p' };
  };
  const sum = (entries: Sum[]) =>
    entries.reduce<Sum>(
      (acc, e) => ({ counts: addInto(acc.counts, e.counts), version: acc.version + e.version }),
      { counts: new Map(), version: 0 },
    );
  const pages = new CountPages({
    startFacts: {
      recountMinutes: (shard, minutes) => {
        const bySecond = new Map<number, Sum>();
        for (const f of facts.filter(
          (f) => f.shard === shard && minutes.includes(floorTo(f.ts, MINUTE_MS)),
        )) {
          const s = floorTo(f.ts, SECOND_MS);
          const e = bySecond.get(s) ?? { counts: new Map<string, number>(), version: 0 };
          e.counts.set(f.country, (e.counts.get(f.country) ?? 0) + (f.live ? 1 : 0));
          e.version += f.version;
          bySecond.set(s, e);
        }
        return Promise.resolve(bySecond);
      },
    },
    target: {
      countSeconds: {
        secondWrite: (shard, second, counts, version) =>
          w(() => seconds.set(`${shard}:${second}`, { counts: new Map(counts), version })),
        minuteSums: (minutes, shards) =>
          Promise.resolve(
            new Map(
              minutes.map((m) => [
                m,
                sum(
                  [...seconds]
                    .filter(([k]) => {
                      const [shard, second] = k.split(':').map(Number);
                      return shards.includes(shard!) && floorTo(second!, MINUTE_MS) === m;
                    })
                    .map(([, v]) => v),
                ),
              ]),
            ),
          ),
        secondsOf: (shard, minutes) =>
          Promise.resolve(
            new Map(
              [...seconds]
                .map(([k, v]) => [k.split(':').map(Number) as [number, number], v] as const)
                .filter(
                  ([[s, second]]) => s === shard && minutes.includes(floorTo(second, MINUTE_MS)),
                )
                .map(([[, second], v]) => [second, v]),
            ),
          ),
      },
      rollups: {
        nodeWrite: (node, counts, version) =>
          w(() => nodes.set(nodeKey(node), { counts: new Map(counts), version })),
        childSums: (level, starts) =>
          Promise.resolve(
            new Map(
              starts.map((start) => [
                start,
                sum(
                  [...nodes]
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
        hourWrite: (country, hour, starts) => w(() => hourly.set(`${country}:${hour}`, starts)),
      },
    },
    storedNodes: (wanted: readonly TreeNode[]) =>
      Promise.resolve(
        new Map(
          wanted.flatMap((n) => {
            const found = nodes.get(nodeKey(n));
            return found ? [[nodeKey(n), found] as const] : [];
          }),
        ),
      ),
    write: () => {
      for (const apply of pending.splice(0)) if (!state.frozen) apply();
      return Promise.resolve();
    },
    startShards: () => Promise.resolve(2),
    retentionMs: YEAR,
    now: () => now,
    concurrency: 4,
  });
  return { pages, seconds, nodes, hourly, state };
}

describe('a page of the start facts rebuilt into a new generation of the starts views', () => {
  const t = now - 3 * 3_600_000 + 1500; // an older hour, so its node is whole
  const minute = floorTo(t, MINUTE_MS);
  const facts: Fact[] = [
    { shard: 0, ts: t, country: 'FI', live: true, version: 1 },
    { shard: 0, ts: t + 100, country: 'SE', live: false, version: 2 },
    { shard: 1, ts: t + 200, country: 'NO', live: true, version: 1 },
    { shard: 1, ts: t + 61_000, country: 'FI', live: true, version: 1 },
  ];
  const page = (...partitions: [number, number][]) => ({
    partitions: partitions.map(([m, shard]) => ({ minute: m, shard })),
    rows: partitions.length,
    resumeToken: '0',
  });

  async function rebuilt() {
    const m = memory(facts);
    // Two pages, as a scan may cut them: each partition recounted whole.
    await m.pages.derive(page([minute, 0]));
    await m.pages.derive(page([minute, 1], [minute + MINUTE_MS, 1]));
    return m;
  }

  it('counts every level from the facts, and writes the hourly row of every country counted', async () => {
    const m = await rebuilt();
    for (let level = MINUTE_LEVEL + 1; level <= TOP_LEVEL; level++)
      expect(m.nodes.get(nodeKey(nodeAt(level, t)))?.counts).to.deep.equal(
        new Map([
          ['FI', 2],
          ['SE', 0],
          ['NO', 1],
        ]),
      );
    const hour = nodeAt(HOUR_LEVEL, t).start;
    expect(m.hourly.get(`FI:${hour}`)).to.equal(2);
    expect(m.hourly.get(`NO:${hour}`)).to.equal(1);
    expect(m.hourly.get(`SE:${hour}`)).to.equal(0);
  });

  it('finds nothing wrong in what it wrote', async () => {
    const m = await rebuilt();
    expect(await m.pages.verify(page([minute, 0], [minute, 1]))).to.deep.equal({
      repaired: 0,
      wrong: [],
    });
  });

  it('repairs a second and a node found wrong by writing the page again', async () => {
    const m = await rebuilt();
    m.seconds.set(`0:${floorTo(t, SECOND_MS)}`, { counts: new Map([['FI', 5]]), version: 1 });
    m.nodes.delete(nodeKey(nodeAt(TOP_LEVEL, t)));
    const checked = await m.pages.verify(page([minute, 0]));
    expect(checked.wrong).to.deep.equal([]);
    expect(checked.repaired).to.be.at.least(2);
    expect(m.nodes.get(nodeKey(nodeAt(TOP_LEVEL, t)))?.counts.get('FI')).to.equal(2);
  });

  it('reports what is still wrong after every repair, naming the second or the node', async () => {
    const m = await rebuilt();
    m.seconds.delete(`1:${floorTo(t, SECOND_MS)}`);
    m.nodes.set(nodeKey(nodeAt(HOUR_LEVEL, t)), { counts: new Map([['FI', 9]]), version: 1 });
    m.state.frozen = true; // the repair's writes never land
    const checked = await m.pages.verify(page([minute, 1]));
    expect(checked.repaired).to.equal(2);
    expect(checked.wrong).to.have.length(2);
    expect(checked.wrong[0]).to.match(/^shard 1 second .*: stored \{\}, expected \{NO: 1\}$/);
    expect(checked.wrong[1]).to.match(/^hour .*: stored \{FI: 9\}, expected \{FI: 2, NO: 1\}$/);
  });
});
