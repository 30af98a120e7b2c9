// npm run migrate: applies the pending CQL migrations to CASSANDRA_KEYSPACE.
import { loadConfig } from '../src/config/env.ts';
import { createCassandraClient } from '../src/storage/cassandra-client.ts';
import { keyspaceOptionsOf, migrate } from '../src/storage/migrator.ts';
import { OpsError, runCli } from './lib/errors.ts';

const USAGE = [
  'usage: npm run migrate',
  'Applies the pending CQL migrations to CASSANDRA_KEYSPACE (settings from the environment).',
].join('\n');

await runCli(USAGE, async () => {
  const config = loadConfig();
  const client = createCassandraClient(config.cassandra);
  try {
    await client.connect().catch((err: unknown) => {
      throw new OpsError(
        `Cassandra does not answer at ${config.cassandra.contactPoints.join(',')}: ${String(err)}`,
        'Start the local one with `npm run stack -- up`, or set CASSANDRA_CONTACT_POINTS.',
      );
    });
    const applied = await migrate(client, keyspaceOptionsOf(config));
    console.log(
      applied.length === 0
        ? `Keyspace ${config.cassandra.keyspace} is up to date.`
        : `Applied to ${config.cassandra.keyspace}: ${applied.map((m) => `${m.version} ${m.name}`).join(', ')}`,
    );
  } finally {
    await client.shutdown();
  }
});
