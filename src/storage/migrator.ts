import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CassandraClient } from './cassandra-client.ts';

/**
 * Versioned CQL migrations. Each `NNNN_name.cql` file under ./migrations runs once per keyspace,
 * in order, and is recorded in `schema_migrations` with a checksum; every statement is written to
 * be idempotent (IF NOT EXISTS), so a run interrupted half-way is simply run again.
 */

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
  readonly checksum: string;
}

export class MigrationChecksumError extends Error {
  constructor(readonly migration: Migration) {
    super(
      `migration ${migration.version} (${migration.name}) was changed after it was applied; ` +
        'add a new migration instead of editing an applied one',
    );
    this.name = 'MigrationChecksumError';
  }
}

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.cql$/.test(file))
    .sort()
    .map((file) => {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number.parseInt(file.slice(0, 4), 10),
        name: file.slice(5, -4),
        statements: splitStatements(text),
        checksum: createHash('sha256').update(text).digest('hex').slice(0, 16),
      };
    });
}

/** Splits a CQL script into statements: `;` at a line end ends one, `--` starts a comment. */
export function splitStatements(script: string): string[] {
  const withoutComments = script
    .split('\n')
    .map((line) => line.replace(/--.*$/, '').trimEnd())
    .join('\n');
  return withoutComments
    .split(/;\s*$/m)
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}

export interface KeyspaceOptions {
  readonly keyspace: string;
  readonly localDataCenter: string;
  readonly replicationFactor: number;
}

/** Creates the keyspace when missing and applies the pending migrations; returns those applied. */
export async function migrate(
  client: CassandraClient,
  options: KeyspaceOptions,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<Migration[]> {
  const ks = options.keyspace;
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = ` +
      `{'class': 'NetworkTopologyStrategy', '${options.localDataCenter}': ${options.replicationFactor}}`,
  );
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${ks}.schema_migrations ` +
      '(version int PRIMARY KEY, name text, checksum text, applied_at timestamp)',
  );
  const applied = await appliedChecksums(client, ks);
  const done: Migration[] = [];
  for (const migration of migrations) {
    const checksum = applied.get(migration.version);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) throw new MigrationChecksumError(migration);
      continue;
    }
    for (const statement of migration.statements) {
      await client.execute(qualify(statement, ks));
    }
    await client.execute(
      `INSERT INTO ${ks}.schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)`,
      [migration.version, migration.name, migration.checksum, new Date()],
    );
    done.push(migration);
  }
  return done;
}

/** True when every known migration has been applied to the keyspace. */
export async function schemaIsCurrent(
  client: CassandraClient,
  keyspace: string,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<boolean> {
  try {
    const applied = await appliedChecksums(client, keyspace);
    return migrations.every((m) => applied.get(m.version) === m.checksum);
  } catch {
    return false;
  }
}

export async function dropKeyspace(client: CassandraClient, keyspace: string): Promise<void> {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
}

async function appliedChecksums(
  client: CassandraClient,
  keyspace: string,
): Promise<Map<number, string>> {
  const result = await client.execute(
    `SELECT version, checksum FROM ${keyspace}.schema_migrations`,
  );
  return new Map(
    result.rows.map((row) => [row.get('version') as number, row.get('checksum') as string]),
  );
}

// Migration files write `{{keyspace}}.table`, so one file serves every keyspace (the service's,
// and each test's throwaway one).
function qualify(statement: string, keyspace: string): string {
  return statement.replaceAll('{{keyspace}}', keyspace);
}
