import type { types } from 'cassandra-driver';
import { isScope, type ApiKeyRecord } from '../auth/api-key.ts';
import type { StatementRunner } from './request-limit.ts';

/** `api_keys`: the durable record of every API key (Redis may run without persistence). */
export class ApiKeys {
  private readonly insertCql: string;
  private readonly selectOne: string;
  private readonly selectAll: string;
  private readonly revokeCql: string;

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    keyspace: string,
  ) {
    const table = `${keyspace}.api_keys`;
    const columns = 'id, name, scopes, secret_hash, created_at, revoked_at';
    this.insertCql = `INSERT INTO ${table} (id, name, scopes, secret_hash, created_at) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS`;
    this.selectOne = `SELECT ${columns} FROM ${table} WHERE id = ?`;
    // The table holds a handful of rows: reading it whole is what `list` wants.
    this.selectAll = `SELECT ${columns} FROM ${table}`;
    this.revokeCql = `UPDATE ${table} SET revoked_at = ? WHERE id = ? IF EXISTS`;
  }

  async insert(record: ApiKeyRecord): Promise<void> {
    await this.client.execute(this.insertCql, [
      record.id,
      record.name,
      [...record.scopes],
      record.secretHash,
      record.createdAt,
    ]);
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const result = await this.client.execute(this.selectOne, [id]);
    const row = result.rows[0];
    return row ? recordOf(row) : undefined;
  }

  async list(): Promise<ApiKeyRecord[]> {
    const result = await this.client.execute(this.selectAll, []);
    return result.rows.map(recordOf).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** Revokes a key; false when there is no such key. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const result = await this.client.execute(this.revokeCql, [at, id]);
    return result.rows[0]?.get('[applied]') === true;
  }
}

function recordOf(row: types.Row): ApiKeyRecord {
  const scopes = ((row.get('scopes') as string[] | null) ?? []).filter(isScope);
  const revokedAt = row.get('revoked_at') as Date | null;
  return {
    id: row.get('id') as string,
    name: (row.get('name') as string | null) ?? '',
    scopes,
    secretHash: row.get('secret_hash') as string,
    createdAt: row.get('created_at') as Date,
    revokedAt: revokedAt ?? undefined,
  };
}
