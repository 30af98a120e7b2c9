import { chanceOfAny, expectedCountries } from './dataset.ts';
import {
  TREE_LEVELS,
  readsPerRollupByGroup,
  rowsPerRollupByGroup,
  type TreeLevel,
} from './rollup.ts';
import { SCHEMA, partitionBytes, rowBytes } from './schema.ts';
import { DAY_SECONDS, activeShare, type TableFigures, type Traffic } from './table-figures.ts';

/**
 * The count tables the rollups write. A shard's seconds are its owner's alone; the tree above
 * them is global, rewritten by every shard's rollups, so its hottest partitions take S owners ×
 * their rollups a second — a rate that grows with S, not with the events.
 */
export function treeTables(t: Traffic): TableFigures[] {
  return [seconds(t), rollups(t), byCountry(t)];
}

function seconds(t: Traffic): TableFigures {
  const schema = SCHEMA.start_count_seconds;
  const r = t.rollup;
  const perShard = t.startsPerSecond / t.shards;
  const row = rowBytes(schema, expectedCountries(t.shape.countryShares, perShard));
  const rowsPerDay = t.shards * DAY_SECONDS * activeShare(perShard);
  const largestRows = 60 * activeShare(perShard);
  return {
    schema,
    writesPerSecond: r.perSecond * r.dirtySecondsPerRollup,
    partitionsWrittenPerSecond: t.shards * activeShare(r.perShardPerSecond),
    hottestWritesPerSecond: r.perShardPerSecond * r.dirtySecondsPerRollup,
    // Every rollup of every shard reads the minute's seconds of all S shards.
    hottestReadsPerSecond: r.perSecond * (r.nodesPerRollup[0] ?? 0),
    partitionReadsPerSecond: r.perSecond * r.secondsPartitionsRead,
    largestRows,
    largestBytes: largestRows * row + partitionBytes(schema),
    rowsPerDay,
    bytesPerDay: rowsPerDay * row + t.shards * (DAY_SECONDS / 60) * partitionBytes(schema),
  };
}

function rollups(t: Traffic): TableFigures {
  const schema = SCHEMA.start_count_rollups;
  const r = t.rollup;
  const nodeRow = (l: TreeLevel) =>
    rowBytes(schema, expectedCountries(t.shape.countryShares, t.startsPerSecond * l.spanSeconds));
  const perDay = (l: TreeLevel) =>
    (DAY_SECONDS / l.spanSeconds) * activeShare(t.startsPerSecond * l.spanSeconds);
  const groups = [...new Set(TREE_LEVELS.map((l) => l.group))];
  // A block at its largest: every node of its levels, each as full as its span makes it.
  const blocks = groups.map((g) => {
    const levels = TREE_LEVELS.filter((l) => l.group === g);
    const rows = levels.reduce((sum, l) => sum + l.blockSeconds / l.spanSeconds, 0);
    const bytes = levels.reduce((sum, l) => sum + (l.blockSeconds / l.spanSeconds) * nodeRow(l), 0);
    return { rows, bytes: bytes + partitionBytes(schema), block: levels[0]?.blockSeconds ?? 1 };
  });
  const largest = blocks.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const written = r.nodesPerRollup.reduce((a, b) => a + b, 0);
  const rowsPerDay = TREE_LEVELS.reduce((sum, l) => sum + perDay(l), 0);
  const blocksPerDay = blocks.reduce((sum, b) => sum + DAY_SECONDS / b.block, 0);
  return {
    schema,
    writesPerSecond: r.perSecond * written,
    partitionsWrittenPerSecond: groups.length * Math.min(1, r.perSecond),
    hottestWritesPerSecond: r.perSecond * Math.max(...rowsPerRollupByGroup(r).values()),
    hottestReadsPerSecond: r.perSecond * Math.max(0, ...readsPerRollupByGroup(r).values()),
    partitionReadsPerSecond: r.perSecond * r.childSlicesRead.reduce((a, b) => a + b, 0),
    largestRows: largest.rows,
    largestBytes: largest.bytes,
    rowsPerDay,
    bytesPerDay:
      TREE_LEVELS.reduce((sum, l) => sum + perDay(l) * nodeRow(l), 0) +
      blocksPerDay * partitionBytes(schema),
  };
}

function byCountry(t: Traffic): TableFigures {
  const schema = SCHEMA.start_counts_by_country;
  const r = t.rollup;
  const shares = t.shape.countryShares;
  const row = rowBytes(schema);
  // A rollup rewrites the hour row of each country among the starts it recounted.
  const countriesPerRollup = expectedCountries(shares, r.startsPerRollup);
  const rowsPerDay = 24 * expectedCountries(shares, t.startsPerSecond * 3600);
  const largestRows = 24 * t.retentionDays;
  return {
    schema,
    writesPerSecond: r.perSecond * countriesPerRollup,
    partitionsWrittenPerSecond: Math.min(
      expectedCountries(shares, t.startsPerSecond),
      r.perSecond * countriesPerRollup,
    ),
    hottestWritesPerSecond: r.perSecond * chanceOfAny(shares[0] ?? 0, r.startsPerRollup),
    hottestReadsPerSecond: 0,
    partitionReadsPerSecond: 0,
    largestRows,
    largestBytes: largestRows * row + partitionBytes(schema),
    rowsPerDay,
    // One partition per country for good: its key is nothing next to its rows.
    bytesPerDay: rowsPerDay * row,
  };
}
