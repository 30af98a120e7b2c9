// npm test: brings up Redis and Cassandra the way `npm start` does, runs the whole mocha suite
// against them in two lanes side by side, with `--check` the static checks beside them
// (ops/lib/test-lanes.ts), and stops again whatever it had to start. Given test files, it runs
// just those, in one mocha.
import { inheritedEnv, loadConfig } from '../src/config/env.ts';
import { ensureBuilt } from './lib/build.ts';
import { runCli } from './lib/errors.ts';
import { loadLocalSettings } from './lib/local-settings.ts';
import { ensureStack } from './lib/stack.ts';
import {
  CHECK_LANE,
  laneEnv,
  LaneRun,
  mochaLane,
  runLanes,
  suiteLanes,
  withLaneDir,
} from './lib/test-lanes.ts';

// dist/ is built here, once, before any lane starts: a lane building it again would rewrite the
// files under the processes another lane runs from it.
const PREBUILT = ['--require', 'test/support/prebuilt.ts'];

const USAGE = [
  'usage: npm test [-- [--MOCHA-OPTION=VALUE...] [SPEC...]]   (or: node --import tsx ops/test.ts [--check] ...)',
  'Brings up Redis and Cassandra, runs mocha on the given test files (default: the whole suite, in two lanes at once), and stops what it started.',
  '--check (what `npm test` passes) runs `npm run check` beside the tests, and fails the run when it fails.',
].join('\n');

await runCli(USAGE, async () => {
  const args = process.argv.slice(2);
  const options = [...PREBUILT, ...args.filter((a) => a.startsWith('-') && a !== '--check')];
  const specs = args.filter((a) => !a.startsWith('-'));
  await withLaneDir(async (dir) => {
    // The checks need no stack: they start at once, and report after the tests.
    const check = args.includes('--check')
      ? LaneRun.start(CHECK_LANE, inheritedEnv(), false, dir)
      : undefined;
    try {
      // The end-to-end tests run the Procfile's compiled processes: built once, up front, while
      // the stack comes up.
      const building = ensureBuilt();
      building.catch(() => undefined); // awaited once the stack is up
      // A node this run starts, it stops: its schema changes need not be flushed (UNSAFE_SYSTEM).
      const stack = await ensureStack(loadConfig(), loadLocalSettings(), console.log, 1, {
        throwawaySchema: true,
      });
      try {
        await building;
        const lanes = specs.length > 0 ? [mochaLane('given', options, specs)] : suiteLanes(options);
        process.exitCode = await runLanes(lanes, laneEnv(inheritedEnv(stack.env)), dir);
      } finally {
        await stack.stopStarted();
      }
    } finally {
      if (check && (await check.finish()) !== 0) process.exitCode = 1;
    }
  });
});
