import { SCHEMA_AGREEMENT_WAIT_SECONDS, type CassandraClient } from './cassandra-client.ts';

/** A schema change the nodes did not all agree on in time: running the migration again is safe. */
export class SchemaDisagreementError extends Error {
  constructor(readonly statement: string) {
    super(
      `the Cassandra nodes did not agree on the schema within ${SCHEMA_AGREEMENT_WAIT_SECONDS} s ` +
        `of "${statement.slice(0, 80)}"; run the migration again once every node is up`,
    );
    this.name = 'SchemaDisagreementError';
  }
}

/**
 * Runs a schema statement and returns once every node agrees on the resulting schema. The driver
 * waits for that itself, but goes on when its wait runs out; here that is an error instead, so
 * that no statement after it meets a node without the change. A statement that changed nothing
 * (`IF NOT EXISTS` on what exists) needs no agreement.
 */
export async function changeSchema(client: CassandraClient, statement: string): Promise<void> {
  const result = await client.execute(statement);
  const info = result.info as { isSchemaInAgreement?: boolean };
  if (info.isSchemaInAgreement === false) throw new SchemaDisagreementError(statement);
}
