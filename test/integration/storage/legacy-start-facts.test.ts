import { expect } from 'chai';
import { decodeCountsInto } from '../../../src/storage/count-vector-codec.ts';
import { shardOf } from '../../../src/domain/shard.ts';
import { createCassandraClient } from '../../../src/storage/cassandra-client.ts';
import { KeyspaceSettings } from '../../../src/storage/keyspace-settings.ts';
import {
  dropKeyspace,
  keyspaceOptionsOf,
  loadMigrations,
  migrate,
} from '../../../src/storage/migrator.ts';
import { toNumber } from '../../../src/storage/cql-numbers.ts';
import { testConfig } from '../../helpers/env.ts';

const MINUTE = 60_000;

describe('migration 0003: the start facts of an older keyspace move into their shards', function () {
  this.timeout(60_000);
  const config = testConfig();
  const ks = config.cassandra.keyspace;
  const client = createCassandraClient(config.cassandra);
  const minute = Math.floor(Date.now() / MINUTE) * MINUTE - 10 * MINUTE;
  // Facts as the code before 0003 wrote them: [second offset ms, session, country, live, version].
  const facts: [number, string, string, boolean, number][] = [
    [1_200, 'legacy-a', 'FI', true, 1],
    [1_900, 'legacy-b', 'FI', true, 1],
    [1_950, 'legacy-c', 'SE', false, 2], // a variant that lost to an earlier start
    [1_400, 'legacy-c', 'SE', true, 2],
    [7_000, 'legacy-d', 'DE', true, 3],
    [MINUTE + 500, 'legacy-e', 'FI', true, 1],
  ];

  before(async () => {
    await dropKeyspace(client, ks);
    const older = loadMigrations().filter((m) => m.version < 3);
    await migrate(client, keyspaceOptionsOf(config), older);
    for (const [offset, session, country, live, version] of facts) {
      const ts = minute + offset;
      await client.execute(
        `INSERT INTO ${ks}.session_starts_by_bucket (minute, ts, session_id, country, player_id, live) ` +
          'VALUES (?, ?, ?, ?, ?, ?) USING TTL 86400 AND TIMESTAMP ?',
        [
          new Date(Math.floor(ts / MINUTE) * MINUTE),
          new Date(ts),
          session,
          country,
          `p-${session}`,
          live,
          version,
        ],
        { prepare: true },
      );
    }
    await migrate(client, { ...keyspaceOptionsOf(config), startShards: 4 });
  });
  after(async () => {
    await dropKeyspace(client, ks);
    await client.shutdown();
  });

  it('writes every fact into its session’s shard with its own TTL and version', async () => {
    for (const [offset, session, country, live, version] of facts) {
      const ts = minute + offset;
      const result = await client.execute(
        `SELECT live, TTL(live) AS ttl, WRITETIME(live) AS version FROM ${ks}.start_facts_by_shard ` +
          'WHERE minute = ? AND shard = ? AND ts = ? AND session_id = ? AND country = ?',
        [
          new Date(Math.floor(ts / MINUTE) * MINUTE),
          shardOf(session, 4),
          new Date(ts),
          session,
          country,
        ],
        { prepare: true },
      );
      const row = result.rows[0];
      expect(row, session).to.not.equal(undefined);
      expect(row?.get('live')).to.equal(live);
      expect(toNumber(row?.get('version'))).to.equal(version);
      expect(row?.get('ttl') as number).to.be.within(86_000, 86_400);
    }
  });

  it('counts each shard’s seconds at the version a recount gives them: the sum of their facts’', async () => {
    const expected = new Map<string, { counts: Record<string, number>; version: number }>();
    for (const [offset, session, country, live, version] of facts) {
      const ts = minute + offset;
      const key = `${shardOf(session, 4)}:${Math.floor(ts / 1000) * 1000}`;
      const e = expected.get(key) ?? { counts: {}, version: 0 };
      e.counts[country] = (e.counts[country] ?? 0) + (live ? 1 : 0);
      e.version += version;
      expected.set(key, e);
    }
    const result = await client.execute(
      `SELECT shard, second, counts, WRITETIME(counts) AS version FROM ${ks}.start_count_seconds ` +
        'WHERE minute IN ? AND shard IN ?',
      [
        [new Date(minute), new Date(minute + MINUTE)],
        [0, 1, 2, 3],
      ],
      { prepare: true },
    );
    const found = new Map(
      result.rows.map((row) => [
        `${row.get('shard') as number}:${(row.get('second') as Date).getTime()}`,
        {
          counts: Object.fromEntries(decodeCountsInto(row.get('counts') as Buffer)),
          version: toNumber(row.get('version')),
        },
      ]),
    );
    expect(found).to.deep.equal(expected);
  });

  it('records that the copy is done, and copies nothing again on the next migration', async () => {
    const settings = new KeyspaceSettings(client, ks);
    expect(await settings.get('legacy_start_facts_copied')).to.equal(String(facts.length));
    expect(await settings.startShards()).to.equal(4);
    await migrate(client, keyspaceOptionsOf(config));
    expect(await settings.get('legacy_start_facts_copied')).to.equal(String(facts.length));
  });

  it('refuses to migrate the keyspace to another number of shards', async () => {
    let error: unknown;
    await migrate(client, { ...keyspaceOptionsOf(config), startShards: 8 }).catch(
      (err: unknown) => {
        error = err;
      },
    );
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).name).to.equal('StartShardsMismatchError');
  });
});
