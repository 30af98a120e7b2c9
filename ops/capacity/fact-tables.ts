import { SCHEMA, partitionBytes, rowBytes } from './schema.ts';
import { DAY_SECONDS, activeShare, type TableFigures, type Traffic } from './table-figures.ts';

/**
 * The per-event tables: each session's partition, each player's, and the start facts by (minute,
 * shard). The first two have a partition per entity, so their hottest partition's rate does not
 * grow with traffic; the facts' partitions take every start of a minute, spread over S shards.
 */
export function factTables(t: Traffic): TableFigures[] {
  return [sessions(t), completed(t), startFacts(t)];
}

function sessions(t: Traffic): TableFigures {
  const schema = SCHEMA.sessions_by_id;
  const row = rowBytes(schema);
  const rowsPerDay = t.eventsPerSecond * DAY_SECONDS;
  return {
    schema,
    writesPerSecond: t.eventsPerSecond,
    partitionsWrittenPerSecond: t.eventsPerSecond,
    // A session's two events are at least a minute apart (the data set's shortest session), so
    // its partition takes one write in any second, and is read back once per event.
    hottestWritesPerSecond: 1,
    hottestReadsPerSecond: 1,
    partitionReadsPerSecond: t.eventsPerSecond,
    largestRows: 2,
    largestBytes: 2 * row + partitionBytes(schema),
    rowsPerDay,
    bytesPerDay: rowsPerDay * row + (rowsPerDay / 2) * partitionBytes(schema),
  };
}

function completed(t: Traffic): TableFigures {
  const schema = SCHEMA.completed_sessions_by_player;
  const row = rowBytes(schema);
  const rowsPerDay = t.completedPerSecond * DAY_SECONDS;
  // A partition holds a player's sessions for the retention: the busiest player's at its largest,
  // the average player's in the per-row share of the partition's own bytes.
  const busiest = Math.ceil(t.shape.busiestPlayerSessionsPerDay * t.retentionDays);
  const average = t.shape.meanPlayerSessionsPerDay * t.retentionDays;
  return {
    schema,
    writesPerSecond: t.completedPerSecond,
    partitionsWrittenPerSecond: t.completedPerSecond,
    // A player's sessions never overlap: one completes at a time.
    hottestWritesPerSecond: 1,
    hottestReadsPerSecond: 0,
    partitionReadsPerSecond: 0,
    largestRows: busiest,
    largestBytes: busiest * row + partitionBytes(schema),
    rowsPerDay,
    bytesPerDay: rowsPerDay * (row + partitionBytes(schema) / average),
  };
}

function startFacts(t: Traffic): TableFigures {
  const schema = SCHEMA.start_facts_by_shard;
  const row = rowBytes(schema);
  const perShard = t.startsPerSecond / t.shards;
  const rowsPerDay = t.startsPerSecond * DAY_SECONDS;
  const partitionsPerDay = t.shards * (DAY_SECONDS / 60) * activeShare(perShard * 60);
  return {
    schema,
    writesPerSecond: t.startsPerSecond,
    // The current minute's S partitions, those that had a start this second.
    partitionsWrittenPerSecond: t.shards * activeShare(perShard),
    // shard = hash(session id) mod S spreads starts evenly; a minute's excess over the mean is
    // about its square root (Poisson), under 1 % from 10,000 starts a minute per shard.
    hottestWritesPerSecond: perShard,
    // Its owner's rollups read one slice of it each.
    hottestReadsPerSecond: t.rollup.perShardPerSecond,
    partitionReadsPerSecond: t.rollup.perSecond,
    largestRows: 60 * perShard,
    largestBytes: 60 * perShard * row + partitionBytes(schema),
    rowsPerDay,
    bytesPerDay: rowsPerDay * row + partitionsPerDay * partitionBytes(schema),
  };
}
