import cassandra from 'cassandra-driver';
import type { Config } from '../config/env.ts';

export type CassandraClient = cassandra.Client;

/**
 * How long the driver waits, after a schema change, for every node to report the same schema
 * version (`maxSchemaAgreementWaitSeconds`; its default is 10 s). On a busy cluster agreement can
 * take longer — a CI run with three nodes beside another suite once did — and a statement sent
 * before it may meet a node without the table yet ("Unknown CF"). The migrator fails rather than
 * go on without it (./schema-change.ts).
 */
export const SCHEMA_AGREEMENT_WAIT_SECONDS = 60;

/**
 * One client per process. Every query is prepared and runs at LOCAL_QUORUM, so that a read sees
 * every write acknowledged before it (the read-after-write steps of the pairing and of the count
 * recomputation rely on that) and the service survives one replica down when RF = 3.
 *
 * The client is not bound to a keyspace: statements name `keyspace.table`, so a process can start
 * (and report itself not ready) before the keyspace exists, and tests can use several keyspaces.
 */
export function createCassandraClient(config: Config['cassandra']): CassandraClient {
  return new cassandra.Client({
    contactPoints: [...config.contactPoints],
    localDataCenter: config.localDataCenter,
    ...(config.username !== undefined && config.password !== undefined
      ? { credentials: { username: config.username, password: config.password } }
      : {}),
    queryOptions: {
      consistency: cassandra.types.consistencies.localQuorum,
      prepare: true,
      // Every statement the service sends may run twice: reads, DDL with IF NOT EXISTS, and
      // versioned writes (docs/DATA-MODEL.md). So the driver may retry one on another node
      // when its coordinator dies mid-request — on a cluster, a read then still answers.
      isIdempotent: true,
    },
    socketOptions: { connectTimeout: 5000, readTimeout: config.requestTimeoutMs },
    protocolOptions: { maxSchemaAgreementWaitSeconds: SCHEMA_AGREEMENT_WAIT_SECONDS },
    // The driver's default backs off up to ten minutes between reconnections; after a Cassandra
    // restart the service should be back within seconds.
    policies: {
      reconnection: new cassandra.policies.reconnection.ExponentialReconnectionPolicy(
        500,
        10_000,
        false,
      ),
    },
  });
}

/** Resolves to whether Cassandra answers a trivial query. */
export async function cassandraAnswers(client: CassandraClient): Promise<boolean> {
  try {
    await client.execute('SELECT release_version FROM system.local');
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether every node of the cluster holds a replica of every partition (one node, or RF as large
 * as the cluster): then a write batch across partitions costs its coordinator no forwarding. Read
 * once at start-up; a cluster that grows later only makes such batches less cheap, never wrong.
 */
export function everyNodeHoldsEverything(
  client: Pick<CassandraClient, 'hosts'>,
  replicationFactor: number,
): boolean {
  return client.hosts.length <= replicationFactor;
}
