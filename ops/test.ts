// npm test (after the static checks): brings up Redis and Cassandra the way `npm start` does,
// runs the whole mocha suite against them, and stops again whatever it had to start.
import { spawn } from 'node:child_process';
import { inheritedEnv, loadConfig } from '../src/config/env.ts';
import { ensureBuilt } from './lib/build.ts';
import { runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { ensureStack } from './lib/stack.ts';

const DEFAULT_SPECS = [
  'test/unit/**/*.test.ts',
  'test/integration/**/*.test.ts',
  'test/e2e/**/*.test.ts',
];

const USAGE = [
  'usage: npm test [-- SPEC...]   (or: node --import tsx ops/test.ts SPEC...)',
  'Brings up Redis and Cassandra, runs mocha on the given test files (default: the whole suite), and stops what it started.',
].join('\n');

await runCli(USAGE, async () => {
  const stack = await ensureStack(loadConfig(), loadLocalSettings());
  try {
    // The end-to-end tests run the Procfile's compiled processes; build them once, up front.
    await ensureBuilt();
    const code = await new Promise<number>((resolve) => {
      const specs = process.argv.length > 2 ? process.argv.slice(2) : DEFAULT_SPECS;
      const mocha = spawn('npx', ['mocha', ...specs], {
        stdio: 'inherit',
        env: inheritedEnv(stack.env),
      });
      mocha.on('close', (c) => resolve(c ?? 1));
    });
    process.exitCode = code;
  } finally {
    await stack.stopStarted();
  }
});
