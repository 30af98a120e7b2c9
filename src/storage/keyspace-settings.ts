import type { CassandraClient } from './cassandra-client.ts';
import { KeyspaceSettingMissingError } from './storage-errors.ts';

/** The number of shards of the start facts (src/domain/shard.ts) a keyspace was made with. */
export const START_SHARDS = 'start_shards';
/** Set once the facts of a keyspace made before migration 0003 are in their shards. */
export const LEGACY_FACTS_COPIED = 'legacy_start_facts_copied';

/** A keyspace asked to take a layout other than the one its data is stored in. */
export class StartShardsMismatchError extends Error {
  override readonly name = 'StartShardsMismatchError';
  constructor(
    readonly keyspace: string,
    readonly recorded: number,
    readonly asked: number,
  ) {
    super(
      `keyspace ${keyspace} stores its start facts in ${recorded} shard(s), not ${asked}: the ` +
        'number of shards is fixed when a keyspace is made (CASSANDRA_START_SHARDS); to change ' +
        'it, make a new keyspace and load an export into it (docs/DATA-MODEL.md, "Shards")',
    );
  }
}

/**
 * `keyspace_settings`: facts about how a keyspace stores its data, fixed when it is made. Every
 * worker reads them from the keyspace rather than from its own configuration, so two workers can
 * never disagree on where the data is.
 */
export class KeyspaceSettings {
  constructor(
    private readonly client: Pick<CassandraClient, 'execute'>,
    private readonly keyspace: string,
  ) {}

  /** The recorded number of start-fact shards, or undefined on a keyspace that has none yet. */
  async startShards(): Promise<number | undefined> {
    const value = await this.get(START_SHARDS);
    return value === undefined ? undefined : Number(value);
  }

  async get(name: string): Promise<string | undefined> {
    const result = await this.client.execute(
      `SELECT value FROM ${this.keyspace}.keyspace_settings WHERE name = ?`,
      [name],
      { prepare: true },
    );
    return result.rows[0]?.get('value') as string | undefined;
  }

  async set(name: string, value: string): Promise<void> {
    await this.client.execute(
      `INSERT INTO ${this.keyspace}.keyspace_settings (name, value) VALUES (?, ?)`,
      [name, value],
      { prepare: true },
    );
  }

  /**
   * The recorded number of start-fact shards, read once and then remembered (it never changes for
   * a keyspace): what a worker's write path asks for. Throws KeyspaceSettingMissingError — a
   * missing schema, see workers/schema-guard.ts — while none is recorded.
   */
  startShardsOnce(): () => Promise<number> {
    let known: number | undefined;
    return async () => {
      if (known !== undefined) return known;
      const read = await this.startShards();
      if (read === undefined) throw new KeyspaceSettingMissingError(this.keyspace, START_SHARDS);
      return (known = read);
    };
  }

  /**
   * Records `shards` unless a number is recorded already (a lightweight transaction, so that two
   * migrations racing agree); returns the number the keyspace has. Throws when it differs from
   * `shards` and `shards` was asked for explicitly.
   */
  async recordStartShards(shards: number, explicit: boolean): Promise<number> {
    const result = await this.client.execute(
      `INSERT INTO ${this.keyspace}.keyspace_settings (name, value) VALUES (?, ?) IF NOT EXISTS`,
      [START_SHARDS, String(shards)],
      { prepare: true },
    );
    const row = result.rows[0];
    const recorded = row?.get('[applied]') === true ? shards : Number(row?.get('value'));
    if (explicit && recorded !== shards)
      throw new StartShardsMismatchError(this.keyspace, recorded, shards);
    return recorded;
  }
}
