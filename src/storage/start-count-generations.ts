import type { CountVector } from '../domain/count-vector.ts';
import { tableOf, type Generations } from '../domain/generations.ts';
import type { TreeNode } from '../domain/time-tree.ts';
import { COUNT_SECONDS_TABLE, CountSeconds } from './count-seconds.ts';
import { COUNTRY_HOURLY_TABLE, CountryHourly } from './country-hourly.ts';
import type { StatementRunner } from './request-limit.ts';
import { ROLLUPS_TABLE, Rollups } from './rollups.ts';

/** The three tables of one generation of read model 1: the seconds, the tree, the hourly rows. */
export interface StartCountTables {
  readonly countSeconds: CountSeconds;
  readonly rollups: Rollups;
  readonly countryHourly: CountryHourly;
}

/** The tables (keyspace-qualified) a generation of read model 1 lives in. */
export function startCountTableNames(keyspace: string, generation: number): string[] {
  return [COUNT_SECONDS_TABLE, ROLLUPS_TABLE, COUNTRY_HOURLY_TABLE].map(
    (base) => `${keyspace}.${tableOf(base, generation)}`,
  );
}

/**
 * Read model 1 in whichever generations the keyspace says (src/storage/view-generations.ts):
 * the API reads the read generation, a rollup writes every write generation — two only while a
 * rebuild runs, so the write path's statements are unchanged otherwise.
 */
export class StartCountGenerations {
  private readonly byGeneration = new Map<number, StartCountTables>();

  constructor(
    private readonly client: Pick<StatementRunner, 'execute'>,
    private readonly keyspace: string,
    private readonly generations: () => Promise<Generations>,
  ) {}

  of(generation: number): StartCountTables {
    let tables = this.byGeneration.get(generation);
    if (!tables) {
      const { client, keyspace } = this;
      tables = {
        countSeconds: new CountSeconds(client, keyspace, generation),
        rollups: new Rollups(client, keyspace, generation),
        countryHourly: new CountryHourly(client, keyspace, generation),
      };
      this.byGeneration.set(generation, tables);
    }
    return tables;
  }

  /** The tables of every generation a rollup must write now. */
  async writers(): Promise<StartCountTables[]> {
    return (await this.generations()).write.map((g) => this.of(g));
  }

  /** The read side (src/queries/country-starts.ts), each read from the read generation. */
  reader(): {
    rollups: Pick<Rollups, 'sumNodes'>;
    countryHourly: Pick<CountryHourly, 'read'>;
  } {
    const read = async () => this.of((await this.generations()).read);
    return {
      rollups: {
        sumNodes: async (nodes: readonly TreeNode[], into?: CountVector) =>
          (await read()).rollups.sumNodes(nodes, into),
      },
      countryHourly: {
        read: async (country: string, fromHour: number, toHour: number) =>
          (await read()).countryHourly.read(country, fromHour, toHour),
      },
    };
  }
}
