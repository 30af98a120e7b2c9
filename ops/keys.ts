// npm run keys -- create --scope ingest [--scope read] --name game-eu | list | revoke <id>:
// manages the API keys in CASSANDRA_KEYSPACE (src/auth/api-key.ts). A new key is printed once.
import { parseArgs } from 'node:util';
import { isScope, SCOPES, type Scope } from '../src/auth/api-key.ts';
import { loadConfig } from '../src/config/env.ts';
import { ApiKeys } from '../src/storage/api-keys.ts';
import { createCassandraClient } from '../src/storage/cassandra-client.ts';
import { createKey } from './lib/api-keys.ts';
import { OpsError, runCli } from './lib/errors.ts';

const USAGE = [
  `usage: npm run keys -- create --scope <${SCOPES.join('|')}> [--scope ...] --name NAME`,
  '       npm run keys -- list',
  '       npm run keys -- revoke ID',
].join('\n');

await runCli(USAGE, async () => {
  const { values, positionals } = parseArgs({
    options: { scope: { type: 'string', multiple: true }, name: { type: 'string' } },
    allowPositionals: true,
  });
  const [command, ...rest] = positionals;
  const config = loadConfig();
  const client = createCassandraClient(config.cassandra);
  try {
    await client.connect().catch((err: unknown) => {
      throw new OpsError(`Cassandra does not answer: ${String(err)}`, 'Is the stack up?');
    });
    const store = new ApiKeys(client, config.cassandra.keyspace);
    if (command === 'create') {
      const scopes = (values.scope ?? []).flatMap((s) => s.split(','));
      const bad = scopes.filter((s) => !isScope(s));
      if (scopes.length === 0 || bad.length > 0)
        throw new OpsError(`give one or more --scope of ${SCOPES.join(', ')}`, USAGE);
      if (!values.name) throw new OpsError('give the key a --name (who uses it)', USAGE);
      const { key, id } = await createKey(store, values.name, scopes as Scope[]);
      console.log(
        `Created key ${id} (${values.name}; scopes ${scopes.join(', ')}). It is shown once:\n\n  ${key}\n`,
      );
    } else if (command === 'list' && rest.length === 0) {
      for (const k of await store.list()) {
        const state = k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active';
        console.log(
          `${k.id}  ${k.scopes.join(',').padEnd(17)}  ${k.createdAt.toISOString()}  ${state.padEnd(32)}  ${k.name}`,
        );
      }
    } else if (command === 'revoke' && rest.length === 1 && rest[0] !== undefined) {
      const id = rest[0];
      if (!(await store.revoke(id, new Date()))) throw new OpsError(`no key ${id}`);
      console.log(
        `Revoked ${id}: refused by every API process within AUTH_CACHE_SECONDS (${config.auth.cacheSeconds} s).`,
      );
    } else {
      throw new OpsError('unknown command', USAGE);
    }
  } finally {
    await client.shutdown();
  }
});
