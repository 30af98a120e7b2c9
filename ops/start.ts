// npm start: brings up Redis and Cassandra (the configured ones, or local ones it starts), applies
// the migrations, then runs the Procfile's processes — the API and one worker unless told otherwise
// (`npm start -- web=1,worker=4`) — until Ctrl-C, and stops again what it had to start.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inheritedEnv, loadConfig } from '../src/config/env.ts';
import { ApiKeys } from '../src/storage/api-keys.ts';
import { createCassandraClient } from '../src/storage/cassandra-client.ts';
import { developmentKey } from './lib/api-keys.ts';
import { keyspaceOptionsOf, migrate } from '../src/storage/migrator.ts';
import { ensureBuilt } from './lib/build.ts';
import { runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { ensureStack } from './lib/stack.ts';

const USAGE = [
  'usage: npm start [-- web=N,worker=N]',
  "Brings up Redis and Cassandra (or uses the configured ones), migrates, and runs the Procfile's processes until Ctrl-C.",
].join('\n');

await runCli(USAGE, async () => {
  const config = loadConfig();
  const local = loadLocalSettings();
  const stack = await ensureStack(config, local);
  let devKey: string | undefined;
  try {
    const client = createCassandraClient({
      ...config.cassandra,
      contactPoints: stack.cassandraContactPoints,
    });
    try {
      const applied = await migrate(client, keyspaceOptionsOf(config));
      if (applied.length > 0)
        console.log(
          `Migrated ${config.cassandra.keyspace}: ${applied.map((m) => m.name).join(', ')}`,
        );
      // A local run is for trying the API: a key with every scope, kept across restarts.
      if (config.auth.enabled)
        devKey = await developmentKey(
          new ApiKeys(client, config.cassandra.keyspace),
          path.join(local.dir, 'dev-api-key'),
        );
    } finally {
      await client.shutdown();
    }

    // The Procfile runs the compiled service, as in production.
    await ensureBuilt();
    const formation = process.argv[2] ?? 'web=1,worker=1';
    const base = `http://localhost:${config.http.port}`;
    console.log(`
  API         ${base}/v1/...
  API key     ${devKey ? `${devKey}   (every scope; curl -H "Authorization: Bearer $(cat ${path.relative(process.cwd(), path.join(local.dir, 'dev-api-key'))})" ...)` : 'none needed (AUTH=off)'}
  Docs        ${base}/docs   (OpenAPI: ${base}/openapi.json)
  Bull Board  ${base}/admin/queues   ${config.admin.password ? `(user ${config.admin.user})` : '(off: set ADMIN_PASSWORD to enable)'}
  Metrics     ${base}/metrics
  Health      ${base}/healthz, ${base}/readyz
  Redis       ${stack.redisUrl}
  Cassandra   ${stack.cassandraContactPoints.join(',')} (keyspace ${config.cassandra.keyspace})

  Processes   ${formation}   — Ctrl-C stops them${stack.started.cassandra || stack.started.redis ? ' and the local stores started here' : ''}
`);
    // The Procfile runner gives the first web process PORT itself (later process types get PORT+100...).
    const nf = fileURLToPath(import.meta.resolve('foreman/nf.js'));
    const runner = spawn(
      process.execPath,
      [nf, '--port', String(config.http.port), 'start', formation],
      {
        stdio: 'inherit',
        env: inheritedEnv(stack.env),
      },
    );
    // The runner (node-foreman) stops its processes only on SIGINT; a SIGTERM would kill the runner
    // alone and leave the API and workers running. Both signals become its SIGINT, which the
    // processes take as the graceful stop it is.
    const stopRunner = () => runner.kill('SIGINT');
    process.on('SIGINT', stopRunner);
    process.on('SIGTERM', stopRunner);
    process.exitCode = await new Promise<number>((resolve) =>
      runner.on('close', (code) => resolve(code ?? 0)),
    );
  } finally {
    await stack.stopStarted();
  }
});
