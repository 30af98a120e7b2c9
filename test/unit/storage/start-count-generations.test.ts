import { expect } from 'chai';
import type { Generations } from '../../../src/domain/generations.ts';
import { HOUR_LEVEL } from '../../../src/domain/time-tree.ts';
import {
  StartCountGenerations,
  startCountTableNames,
} from '../../../src/storage/start-count-generations.ts';

/** A client that records every statement and answers with no rows. */
function recording() {
  const queries: string[] = [];
  return {
    queries,
    client: {
      execute: (query: string) => {
        queries.push(query);
        return Promise.resolve({ rows: [], pageState: null } as never);
      },
    },
  };
}

describe('the starts views in their generations', () => {
  it('write generation 0 with the very statements of before, into the migrations’ tables', async () => {
    const { client } = recording();
    const [tables, ...more] = await new StartCountGenerations(client, 'ks', () =>
      Promise.resolve({ read: 0, write: [0] }),
    ).writers();
    expect(more).to.have.length(0);
    expect(tables!.countSeconds.secondWrite(0, 0, new Map(), 1, 60).query).to.equal(
      'INSERT INTO ks.start_count_seconds (minute, shard, second, counts) VALUES (?, ?, ?, ?) ' +
        'USING TTL ? AND TIMESTAMP ?',
    );
    expect(
      tables!.rollups.nodeWrite({ level: HOUR_LEVEL, start: 0 }, new Map(), 1, 60).query,
    ).to.equal(
      'INSERT INTO ks.start_count_rollups (level_group, block, span, start, counts) VALUES (?, ?, ?, ?, ?) ' +
        'USING TTL ? AND TIMESTAMP ?',
    );
    expect(tables!.countryHourly.hourWrite('FI', 0, 1, 1, 60).query).to.equal(
      'INSERT INTO ks.start_counts_by_country (country, hour, starts) VALUES (?, ?, ?) USING TTL ? AND TIMESTAMP ?',
    );
  });

  it('write both generations while a rebuild runs, the odd one into the _alt twins', async () => {
    const { client } = recording();
    const tables = await new StartCountGenerations(client, 'ks', () =>
      Promise.resolve({ read: 0, write: [0, 1] }),
    ).writers();
    expect(tables.map((t) => t.countSeconds.secondWrite(0, 0, new Map(), 1, 60).query)).to.satisfy(
      ([even, odd]: string[]) =>
        even!.includes('ks.start_count_seconds ') && odd!.includes('ks.start_count_seconds_alt '),
    );
    expect(tables[1]!.countryHourly.hourWrite('FI', 0, 1, 1, 60).partition).to.match(
      /^ks\.start_counts_by_country_alt:/,
    );
  });

  it('read the read generation, following the setting as it changes', async () => {
    const { client, queries } = recording();
    let setting: Generations = { read: 0, write: [0, 1] };
    const reader = new StartCountGenerations(client, 'ks', () => Promise.resolve(setting)).reader();
    await reader.rollups.sumNodes([{ level: HOUR_LEVEL, start: 0 }]);
    await reader.countryHourly.read('FI', 0, 3_600_000);
    setting = { read: 1, write: [0, 1] };
    await reader.rollups.sumNodes([{ level: HOUR_LEVEL, start: 0 }]);
    await reader.countryHourly.read('FI', 0, 3_600_000);
    expect(queries.map((q) => /FROM (\S+)/.exec(q)?.[1])).to.deep.equal([
      'ks.start_count_rollups',
      'ks.start_counts_by_country',
      'ks.start_count_rollups_alt',
      'ks.start_counts_by_country_alt',
    ]);
  });

  it('name the three tables of a generation, for the rebuild to empty', () => {
    expect(startCountTableNames('ks', 2)).to.deep.equal([
      'ks.start_count_seconds',
      'ks.start_count_rollups',
      'ks.start_counts_by_country',
    ]);
    expect(startCountTableNames('ks', 3)).to.deep.equal([
      'ks.start_count_seconds_alt',
      'ks.start_count_rollups_alt',
      'ks.start_counts_by_country_alt',
    ]);
  });
});
