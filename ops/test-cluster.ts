// npm run test:cluster: brings up Redis and a three-node local Cassandra cluster (127.0.0.1-3, or
// from LOCAL_CASSANDRA_FIRST_ADDRESS), runs the cluster suite (test/cluster) against it with
// RF 3, and stops again whatever it had to start. Not part of `npm test`: three JVMs take minutes.
import { spawn } from 'node:child_process';
import { inheritedEnv, loadConfig } from '../src/config/env.ts';
import { runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { ensureStack } from './lib/stack.ts';

const NODES = 3;

const USAGE = [
  'usage: npm run test:cluster [-- SPEC...]',
  'Brings up Redis and a three-node local Cassandra cluster and runs the cluster suite (test/cluster) against it.',
].join('\n');

await runCli(USAGE, async () => {
  // The suite kills and restarts nodes, so it runs on the local cluster, never on a configured one.
  const config = loadConfig(inheritedEnv({ CASSANDRA_CONTACT_POINTS: undefined }));
  const stack = await ensureStack(config, loadLocalSettings(), console.log, NODES);
  try {
    const code = await new Promise<number>((resolve) => {
      const specs = process.argv.length > 2 ? process.argv.slice(2) : ['test/cluster/**/*.test.ts'];
      const mocha = spawn('npx', ['mocha', ...specs], {
        stdio: 'inherit',
        env: inheritedEnv({ ...stack.env, CASSANDRA_REPLICATION_FACTOR: String(NODES) }),
      });
      mocha.on('close', (c) => resolve(c ?? 1));
    });
    process.exitCode = code;
  } finally {
    await stack.stopStarted();
  }
});
