import { expect } from 'chai';
import { createCassandraClient } from '../../../src/storage/cassandra-client.ts';
import {
  dropKeyspace,
  loadMigrations,
  migrate,
  MigrationChecksumError,
  schemaIsCurrent,
} from '../../../src/storage/migrator.ts';
import { testConfig } from '../../helpers/env.ts';
import { migratedKeyspace, useMigratedKeyspace } from '../../helpers/cassandra.ts';

describe('Cassandra (real node)', function () {
  this.timeout(60_000);
  const config = testConfig();
  const ks = useMigratedKeyspace(config);

  it('applies the migrations once and records them', async () => {
    expect(await schemaIsCurrent(ks.client, config.cassandra.keyspace)).to.be.true;
    const admin = createCassandraClient(config.cassandra);
    try {
      const again = await migrate(admin, {
        keyspace: config.cassandra.keyspace,
        localDataCenter: config.cassandra.localDataCenter,
        replicationFactor: 1,
      });
      expect(again).to.deep.equal([]);
    } finally {
      await admin.shutdown();
    }
  });

  it('refuses to run when an applied migration was edited', async () => {
    const admin = createCassandraClient(config.cassandra);
    const edited = loadMigrations().map((m) => ({ ...m, checksum: '0000000000000000' }));
    try {
      await migrate(
        admin,
        {
          keyspace: config.cassandra.keyspace,
          localDataCenter: 'datacenter1',
          replicationFactor: 1,
        },
        edited,
      );
      expect.fail('migrate should have thrown');
    } catch (err) {
      expect(err).to.be.instanceOf(MigrationChecksumError);
    } finally {
      await admin.shutdown();
    }
  });

  it('reports a keyspace without the schema as not current', async () => {
    const admin = createCassandraClient(config.cassandra);
    try {
      expect(await schemaIsCurrent(admin, 'no_such_keyspace_here')).to.be.false;
    } finally {
      await admin.shutdown();
    }
  });

  it('writes and reads rows through prepared statements', async () => {
    const end = new Date('2026-01-02T03:04:05.678Z');
    await ks.client.execute(
      `INSERT INTO ${ks.keyspace}.completed_sessions_by_player (player_id, end_ts, session_id, start_ts, country) VALUES (?, ?, ?, ?, ?)`,
      ['p1', end, 's1', new Date(end.getTime() - 60_000), 'FI'],
    );
    const result = await ks.client.execute(
      `SELECT session_id, end_ts, start_ts, country FROM ${ks.keyspace}.completed_sessions_by_player WHERE player_id = ?`,
      ['p1'],
    );
    expect(result.rows).to.have.length(1);
    const row = result.rows[0]!;
    expect(row.get('session_id')).to.equal('s1');
    expect((row.get('end_ts') as Date).toISOString()).to.equal('2026-01-02T03:04:05.678Z');
    expect(row.get('country')).to.equal('FI');
    // Cassandra keeps every statement prepared on it in system.prepared_statements.
    const prepared = await ks.client.execute('SELECT query_string FROM system.prepared_statements');
    const queries = prepared.rows.map((r) => r.get('query_string') as string);
    expect(queries).to.include(
      `SELECT session_id, end_ts, start_ts, country FROM ${ks.keyspace}.completed_sessions_by_player WHERE player_id = ?`,
    );
  });

  it('drops a throwaway keyspace', async () => {
    const other = testConfig();
    const temp = await migratedKeyspace(other);
    await temp.drop();
    const admin = createCassandraClient(config.cassandra);
    try {
      const rows = await admin.execute(
        'SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?',
        [other.cassandra.keyspace],
      );
      expect(rows.rows).to.have.length(0);
      await dropKeyspace(admin, other.cassandra.keyspace); // idempotent
    } finally {
      await admin.shutdown();
    }
  });
});
