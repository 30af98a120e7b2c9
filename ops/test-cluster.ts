// npm run test:cluster: brings up Redis and a three-node local Cassandra cluster (127.0.0.1-3, or
// from LOCAL_CASSANDRA_FIRST_ADDRESS), runs the cluster suite (test/cluster) against it with
// RF 3, and stops again whatever it had to start. Not part of `npm test`: three JVMs take minutes.
import { spawn } from 'node:child_process';
import { inheritedEnv, loadConfig } from '../src/config/env.ts';
import { runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { ensureStack } from './lib/stack.ts';
import { laneEnv } from './lib/test-lanes.ts';

const NODES = 3;

const USAGE = [
  'usage: npm run test:cluster [-- [--prebuilt] SPEC...]',
  'Brings up Redis and a three-node local Cassandra cluster and runs the cluster suite (test/cluster) against it.',
  '--prebuilt: dist/ is built and current, and the suite must not build it again (CI runs it beside npm test, whose processes run from dist/).',
].join('\n');

await runCli(USAGE, async () => {
  // The suite kills and restarts nodes, so it runs on the local cluster, never on a configured one.
  // Its nodes are the suite's own, started and killed for it: C1 only, as the nodes of `npm test`'s
  // lanes (laneEnv), unless the environment says otherwise; the tests restart them the same way.
  const config = loadConfig(inheritedEnv({ CASSANDRA_CONTACT_POINTS: undefined }));
  const local = loadLocalSettings(laneEnv(inheritedEnv()));
  const stack = await ensureStack(config, local, console.log, NODES);
  try {
    const code = await new Promise<number>((resolve) => {
      const args = process.argv.slice(2);
      const given = args.filter((a) => a !== '--prebuilt');
      const specs = given.length > 0 ? given : ['test/cluster/**/*.test.ts'];
      // A build rewrites dist/'s copied files (the migrations, the dashboard) under any process
      // running from it: beside npm test, the suite runs what was built (test/support/prebuilt.ts).
      const prebuilt = args.includes('--prebuilt') ? ['--require', 'test/support/prebuilt.ts'] : [];
      const mocha = spawn('npx', ['mocha', ...prebuilt, ...specs], {
        stdio: 'inherit',
        env: laneEnv(inheritedEnv({ ...stack.env, CASSANDRA_REPLICATION_FACTOR: String(NODES) })),
      });
      mocha.on('close', (c) => resolve(c ?? 1));
    });
    process.exitCode = code;
  } finally {
    await stack.stopStarted();
  }
});
