import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/env.ts';
import type { CassandraClient } from './cassandra-client.ts';
import { KeyspaceSettings, LEGACY_FACTS_COPIED } from './keyspace-settings.ts';
import { copyLegacyStartFacts } from './legacy-start-facts.ts';
import { changeSchema } from './schema-change.ts';

/**
 * Versioned CQL migrations. Each `NNNN_name.cql` file under ./migrations runs once per keyspace,
 * in order, and is recorded in `schema_migrations` with a checksum; every statement is written to
 * be idempotent (IF NOT EXISTS), so a run interrupted half-way is simply run again.
 */

const MIGRATIONS_TABLE = 'schema_migrations';
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
  /**
   * The start-fact shards a new keyspace gets (default 1). Given for an existing keyspace that
   * has another number, the migration fails (src/storage/keyspace-settings.ts).
   */
  readonly startShards?: number;
  /** The retention the copied seconds' TTLs are computed with (default 365 days). */
  readonly retentionMs?: number;
}

const YEAR_MS = 365 * 24 * 3_600_000;

/** The options the service's configuration gives a migration of its keyspace. */
export function keyspaceOptionsOf(config: Config): KeyspaceOptions {
  return {
    keyspace: config.cassandra.keyspace,
    localDataCenter: config.cassandra.localDataCenter,
    replicationFactor: config.cassandra.replicationFactor,
    ...(config.cassandra.startShards === undefined
      ? {}
      : { startShards: config.cassandra.startShards }),
    retentionMs: config.events.retentionSeconds * 1000,
  };
}

/**
 * Creates the keyspace when missing and applies the pending migrations; returns those applied. A
 * migration recorded as applied whose tables are gone (dropped by hand, or lost with a node's
 * schema) is applied again — its statements are idempotent — so that `npm run migrate` is also
 * how a damaged schema is put back.
 */
export async function migrate(
  client: CassandraClient,
  options: KeyspaceOptions,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<Migration[]> {
  const ks = options.keyspace;
  await changeSchema(
    client,
    `CREATE KEYSPACE IF NOT EXISTS ${ks} WITH replication = ` +
      `{'class': 'NetworkTopologyStrategy', '${options.localDataCenter}': ${options.replicationFactor}}`,
  );
  await changeSchema(
    client,
    `CREATE TABLE IF NOT EXISTS ${ks}.${MIGRATIONS_TABLE} ` +
      '(version int PRIMARY KEY, name text, checksum text, applied_at timestamp)',
  );
  const applied = await appliedChecksums(client, ks);
  const present = await tablesOf(client, ks);
  const done: Migration[] = [];
  for (const migration of migrations) {
    const checksum = applied.get(migration.version);
    if (checksum !== undefined) {
      if (checksum !== migration.checksum) throw new MigrationChecksumError(migration);
      if (createdTables([migration]).every((t) => present.has(t))) continue;
    }
    for (const statement of migration.statements) {
      await changeSchema(client, qualify(statement, ks));
    }
    await client.execute(
      `INSERT INTO ${ks}.${MIGRATIONS_TABLE} (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)`,
      [migration.version, migration.name, migration.checksum, new Date()],
    );
    done.push(migration);
  }
  // A list without migration 0003 (a test applying old migrations) leaves the data as it was.
  if (!createdTables(migrations).includes('keyspace_settings')) return done;
  const settings = new KeyspaceSettings(client, ks);
  const shards = await settings.recordStartShards(
    options.startShards ?? 1,
    options.startShards !== undefined,
  );
  // Data of migration 0003: facts stored before the shards move into them, once.
  if ((await settings.get(LEGACY_FACTS_COPIED)) === undefined) {
    const copied = await copyLegacyStartFacts(client, ks, {
      shards,
      retentionMs: options.retentionMs ?? YEAR_MS,
    });
    await settings.set(LEGACY_FACTS_COPIED, String(copied));
  }
  return done;
}

/** Whether a keyspace holds the schema this code needs, and if not, what is missing. */
export type SchemaStatus =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: string;
      /** `schema`: Cassandra answered, and the schema is not there; `unreachable`: no answer. */
      readonly cause: 'schema' | 'unreachable';
    };

/**
 * Checks the keyspace, every table the migrations create, and the record of every migration
 * (with its checksum), so that a keyspace lost or half-recreated is named as such rather than
 * surfacing as statement errors.
 */
export async function schemaStatus(
  client: CassandraClient,
  keyspace: string,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<SchemaStatus> {
  try {
    const present = await tablesOf(client, keyspace);
    const missingSchema = (reason: string) => ({ ok: false, reason, cause: 'schema' }) as const;
    if (present.size === 0) return missingSchema(`keyspace ${keyspace} does not exist`);
    const missing = [MIGRATIONS_TABLE, ...createdTables(migrations)].filter((t) => !present.has(t));
    if (missing.length > 0)
      return missingSchema(`keyspace ${keyspace} lacks table(s) ${missing.join(', ')}`);
    const applied = await appliedChecksums(client, keyspace);
    const pending = migrations.filter((m) => applied.get(m.version) !== m.checksum);
    if (pending.length > 0) {
      const names = pending.map((m) => `${m.version} ${m.name}`).join(', ');
      return missingSchema(`keyspace ${keyspace} lacks migration(s) ${names}`);
    }
    return { ok: true };
  } catch (err) {
    return {
      ok: false,
      reason: `the schema could not be read (${err instanceof Error ? err.name : String(err)})`,
      cause: 'unreachable',
    };
  }
}

/** True when every known migration has been applied to the keyspace and its tables exist. */
export async function schemaIsCurrent(
  client: CassandraClient,
  keyspace: string,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<boolean> {
  return (await schemaStatus(client, keyspace, migrations)).ok;
}

/** The tables a set of migrations creates. */
export function createdTables(migrations: readonly Migration[]): string[] {
  const tables = migrations.flatMap((m) =>
    m.statements.flatMap((statement) => {
      const match = /^CREATE TABLE IF NOT EXISTS \{\{keyspace\}\}\.(\w+)/i.exec(statement);
      return match?.[1] ? [match[1]] : [];
    }),
  );
  return [...new Set(tables)];
}

export async function dropKeyspace(client: CassandraClient, keyspace: string): Promise<void> {
  await client.execute(`DROP KEYSPACE IF EXISTS ${keyspace}`);
}

async function tablesOf(client: CassandraClient, keyspace: string): Promise<Set<string>> {
  const tables = await client.execute(
    'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?',
    [keyspace],
    { prepare: true },
  );
  return new Set(tables.rows.map((row) => row.get('table_name') as string));
}

async function appliedChecksums(
  client: CassandraClient,
  keyspace: string,
): Promise<Map<number, string>> {
  const result = await client.execute(
    `SELECT version, checksum FROM ${keyspace}.${MIGRATIONS_TABLE}`,
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
