import type cassandra from 'cassandra-driver';
import type { Config } from '../../src/config/env.ts';
import { createCassandraClient, type CassandraClient } from '../../src/storage/cassandra-client.ts';
import { dropKeyspace, keyspaceOptionsOf, migrate } from '../../src/storage/migrator.ts';

export interface TestKeyspace {
  readonly keyspace: string;
  readonly client: CassandraClient;
  /** Drops the keyspace and closes the client. */
  drop(): Promise<void>;
}

// Schema changes queue up on the node: with two lanes of the suite (ops/lib/test-lanes.ts) each
// creating and dropping keyspaces, one can wait longer than a query's usual timeout.
const SCHEMA_CHANGE_TIMEOUT_MS = 60_000;

/** The same client, every statement given the schema changes' longer timeout. */
function patient(client: CassandraClient): CassandraClient {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'execute') return Reflect.get(target, property, receiver) as unknown;
      return (query: string, params?: unknown[], options?: cassandra.QueryOptions) =>
        target.execute(query, params, { readTimeout: SCHEMA_CHANGE_TIMEOUT_MS, ...options });
    },
  });
}

/** A migrated throwaway keyspace (named by the config) and a client. */
export async function migratedKeyspace(config: Config): Promise<TestKeyspace> {
  const client = createCassandraClient(config.cassandra);
  await migrate(patient(client), keyspaceOptionsOf(config));
  return {
    keyspace: config.cassandra.keyspace,
    client,
    async drop() {
      await dropKeyspace(patient(client), config.cassandra.keyspace);
      await client.shutdown();
    },
  };
}

/**
 * Registers mocha hooks that give the enclosing suite a migrated throwaway keyspace and drop it
 * afterwards. The client exists from the suite's `before` on.
 */
export function useMigratedKeyspace(config: Config): Omit<TestKeyspace, 'drop'> {
  let ks: TestKeyspace | undefined;
  before(async () => {
    ks = await migratedKeyspace(config);
  });
  after(async () => {
    await ks?.drop();
  });
  return {
    keyspace: config.cassandra.keyspace,
    get client() {
      if (!ks) throw new Error('the keyspace exists only once the suite has started');
      return ks.client;
    },
  };
}

/** A statement a client sent: its CQL and its parameters. */
export interface SentStatement {
  readonly query: string;
  readonly params: readonly unknown[];
}

/**
 * The same client, recording every statement it executes before sending it on, so that a test
 * can count what really reaches Cassandra rather than what a query planned to send.
 */
export function recordingClient(client: CassandraClient): {
  client: CassandraClient;
  sent: SentStatement[];
} {
  const sent: SentStatement[] = [];
  const recording = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'execute') return Reflect.get(target, property, receiver) as unknown;
      return (query: string, params?: unknown[], options?: cassandra.QueryOptions) => {
        sent.push({ query, params: params ?? [] });
        return target.execute(query, params, options);
      };
    },
  });
  return { client: recording, sent };
}
