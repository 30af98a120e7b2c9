import pMap from 'p-map';
import type { CountVector } from '../../src/domain/count-vector.ts';
import { HOUR_MS, ceilTo } from '../../src/domain/duration.ts';
import { ttlSeconds } from '../../src/domain/retention.ts';
import { HOUR_LEVEL, type TreeNode } from '../../src/domain/time-tree.ts';
import type { CountryHourly } from '../../src/storage/country-hourly.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import { nodeKey } from '../../src/storage/stored-nodes.ts';
import { hourRowDifferences } from './count-differences.ts';
import { REPAIR_ROUNDS, RETENTION_EDGE_MS } from './count-pages.ts';

/** Hours whose nodes and rows one step of the check holds in memory: 64 days. */
export const HOURS_PER_STEP = 64 * 24;

export interface CountHoursDeps {
  /** The target generation's hourly rows. */
  readonly countryHourly: Pick<CountryHourly, 'readVersions' | 'hourWrite'>;
  /** The target generation's stored nodes (src/storage/stored-nodes.ts). */
  readonly storedNodes: (
    nodes: readonly TreeNode[],
  ) => Promise<Map<string, { counts: CountVector; version: number }>>;
  readonly write: (writes: readonly PartitionWrite[]) => Promise<void>;
  readonly retentionMs: number;
  readonly now: () => number;
  readonly concurrency: number;
}

/**
 * The last check of a rebuild of read model 1: every country's hourly row in the target equals
 * its count in the hour node (the page-by-page check holds every node to its children, but an
 * hourly row only to the writes that made it). Over the whole retention, 64 days at a time: the
 * hour nodes (one read per day), then each country's rows (one read per country). A row found
 * wrong (count-differences.ts) is written again from its node, with the node's version, and
 * checked again, up to REPAIR_ROUNDS times.
 */
export async function checkHourlyRows(
  deps: CountHoursDeps,
): Promise<{ repaired: number; wrong: string[] }> {
  const now = deps.now();
  const first = ceilTo(now - deps.retentionMs + RETENTION_EDGE_MS, HOUR_MS);
  let repaired = 0;
  const wrong: string[] = [];
  for (let from = first; from <= now; from += HOURS_PER_STEP * HOUR_MS) {
    const to = Math.min(from + HOURS_PER_STEP * HOUR_MS, ceilTo(now + 1, HOUR_MS));
    let found = await differences(deps, from, to);
    repaired += found.length;
    for (let round = 0; found.length > 0 && round < REPAIR_ROUNDS; round++) {
      const writes = found.flatMap(({ country, hour, node }) =>
        node
          ? [
              deps.countryHourly.hourWrite(
                country,
                hour,
                node.counts.get(country) ?? 0,
                node.version,
                ttlSeconds(hour, now, deps.retentionMs),
              ),
            ]
          : [],
      );
      await deps.write(writes);
      found = await differences(deps, from, to);
    }
    for (const { country, hour } of found)
      wrong.push(
        `hourly row of ${country} at ${new Date(hour).toISOString()} differs from its hour`,
      );
  }
  return { repaired, wrong };
}

async function differences(deps: CountHoursDeps, from: number, to: number) {
  const hours: TreeNode[] = [];
  for (let hour = from; hour < to; hour += HOUR_MS) hours.push({ level: HOUR_LEVEL, start: hour });
  // storedNodes reads one partition (a day of hours) per query.
  const stored = await deps.storedNodes(hours);
  const nodes = new Map<number, { counts: CountVector; version: number }>();
  for (const node of hours) {
    const found = stored.get(nodeKey(node));
    if (found) nodes.set(node.start, found);
  }
  const countries = new Set<string>();
  for (const node of nodes.values())
    for (const country of node.counts.keys()) countries.add(country);
  const found = await pMap(
    [...countries],
    async (country) => {
      const rows = await deps.countryHourly.readVersions(country, from, to);
      return hourRowDifferences(country, nodes, rows).map((hour) => ({
        country,
        hour,
        node: nodes.get(hour),
      }));
    },
    { concurrency: deps.concurrency },
  );
  return found.flat();
}
