import fs from 'node:fs/promises';
import path from 'node:path';
import { issueKey, parseKey, SCOPES, type Scope } from '../../src/auth/api-key.ts';
import { KeyLookup } from '../../src/auth/key-lookup.ts';
import type { ApiKeys } from '../../src/storage/api-keys.ts';

/** Creates a key in the store; returns the whole key (to be shown once) and its id. */
export async function createKey(
  store: Pick<ApiKeys, 'insert'>,
  name: string,
  scopes: readonly Scope[],
): Promise<{ key: string; id: string }> {
  const issued = issueKey(name, scopes, new Date());
  await store.insert(issued.record);
  return { key: issued.key, id: issued.record.id };
}

/**
 * The development key of `npm start`: the one kept in `file` while the store still accepts it,
 * otherwise a new one with every scope (written to the file, mode 600), so that restarts do not
 * pile up keys and the printed key stays the same.
 */
export async function developmentKey(
  store: Pick<ApiKeys, 'insert' | 'find'>,
  file: string,
): Promise<string> {
  const kept = (await fs.readFile(file, 'utf8').catch(() => '')).trim();
  if (parseKey(kept)) {
    const lookup = new KeyLookup(store, { cacheMs: 0, now: Date.now });
    const record = await lookup.authenticate(kept);
    if (record && SCOPES.every((s) => record.scopes.includes(s))) return kept;
  }
  const { key } = await createKey(store, 'development (npm start)', SCOPES);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}
