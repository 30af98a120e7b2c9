import {
  formatGenerations,
  parseGenerations,
  type Generations,
  type RebuildableView,
} from '../domain/generations.ts';
import type { CassandraClient } from './cassandra-client.ts';
import { KeyspaceSettings } from './keyspace-settings.ts';

/** The `keyspace_settings` row holding a view's generations. */
export function generationsSetting(view: RebuildableView): string {
  return `generations.${view}`;
}

/**
 * Which generation of a view is read and which are written (src/domain/generations.ts), kept in
 * `keyspace_settings`: the rebuild changes it, every API and worker process follows it.
 */
export class ViewGenerations {
  private readonly settings: KeyspaceSettings;

  constructor(client: Pick<CassandraClient, 'execute'>, keyspace: string) {
    this.settings = new KeyspaceSettings(client, keyspace);
  }

  async get(view: RebuildableView): Promise<Generations> {
    return parseGenerations(await this.settings.get(generationsSetting(view)));
  }

  async set(view: RebuildableView, generations: Generations): Promise<void> {
    await this.settings.set(generationsSetting(view), formatGenerations(generations));
  }
}

/**
 * A view's generations as one process sees them: read from the keyspace at most once per
 * `maxAgeMs` (one single-row read, shared by every caller meanwhile), so a change reaches every
 * process that reads or writes the view within `maxAgeMs` of its next use. While the keyspace
 * cannot be read, the last value known is used; before any is known, the read's error is thrown.
 */
export function followGenerations(
  store: Pick<ViewGenerations, 'get'>,
  view: RebuildableView,
  maxAgeMs: number,
  now: () => number = () => performance.now(),
): () => Promise<Generations> {
  let known: Generations | undefined;
  let readAt = -Infinity;
  let reading: Promise<Generations> | undefined;
  return async () => {
    if (known && now() - readAt < maxAgeMs) return known;
    reading ??= (async () => {
      try {
        known = await store.get(view);
        readAt = now();
        return known;
      } catch (err) {
        if (known) return known;
        throw err;
      } finally {
        reading = undefined;
      }
    })();
    return reading;
  };
}
