import { expect } from 'chai';
import type { CassandraClient } from '../../../src/storage/cassandra-client.ts';
import { changeSchema, SchemaDisagreementError } from '../../../src/storage/schema-change.ts';

/** A client whose every statement is answered with the given agreement, and which records them. */
function clientAnswering(isSchemaInAgreement: boolean | undefined) {
  const sent: string[] = [];
  const client = {
    execute: (statement: string) => {
      sent.push(statement);
      return Promise.resolve({ info: { isSchemaInAgreement } });
    },
  } as unknown as CassandraClient;
  return { client, sent };
}

describe('a schema change', () => {
  it('returns once the driver reports every node agreeing', async () => {
    const { client, sent } = clientAnswering(true);
    await changeSchema(client, 'CREATE TABLE IF NOT EXISTS ks.t (k int PRIMARY KEY)');
    expect(sent).to.deep.equal(['CREATE TABLE IF NOT EXISTS ks.t (k int PRIMARY KEY)']);
  });

  it('fails, naming the statement, when the nodes did not agree before the driver stopped waiting', async () => {
    const { client } = clientAnswering(false);
    const error = await changeSchema(client, 'CREATE TABLE IF NOT EXISTS ks.t (k int)').catch(
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SchemaDisagreementError);
    expect((error as Error).message).to.include('CREATE TABLE IF NOT EXISTS ks.t');
  });

  it('needs no agreement for a statement that changed nothing', async () => {
    const { client } = clientAnswering(undefined);
    await changeSchema(client, 'CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {}');
  });
});
