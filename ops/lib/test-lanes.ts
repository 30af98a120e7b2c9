import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The whole suite as `npm test` runs it: in lanes, processes side by side — the static checks, and
 * three mocha processes each running its test files one after another. Most of the suite's time is
 * waiting — on Cassandra's fsynced commit log, on nodes of a test's own starting and recovering,
 * on Sentinel's failovers, on retries' backoff — not computing, so lanes side by side take far
 * less than one after another, even on two cores.
 *
 * Every test runs on its own keyspace, queue prefix and, where it kills or fills one, its own
 * Redis or Cassandra node, so any file may run beside any other: what the side lanes hold is only
 * a balance of the suite's longest files (measured per file: README, Local stack).
 */

export const SUITE_SPECS: readonly string[] = [
  'test/unit/**/*.test.ts',
  'test/integration/**/*.test.ts',
  'test/e2e/**/*.test.ts',
];

/**
 * The side lanes' files, each lane in the order it runs them; the main lane runs everything else.
 * Balanced by the files' measured times (about 5½ min each, with the main lane's rest).
 */
export const SIDE_LANES: readonly (readonly string[])[] = [
  [
    'test/e2e/crash-safety.test.ts',
    'test/e2e/redis-double-failover.test.ts',
    'test/e2e/rolling-upgrade.test.ts',
    'test/e2e/redis-failover.test.ts',
  ],
  [
    'test/e2e/cassandra-crash.test.ts',
    'test/e2e/full-commit-log.test.ts',
    'test/integration/ops/local-cassandra.test.ts',
    'test/e2e/rebuild.test.ts',
    'test/integration/bench/smoke.test.ts',
    'test/e2e/full-disk.test.ts',
  ],
];

/**
 * What the lanes' processes run with besides the stack's settings, unless the environment says
 * otherwise: the Cassandra nodes the tests start of their own (to crash, to fill, to restart)
 * compile with C1 only. Each lives a minute or less, mostly booting, and C2 compiles cost it more
 * CPU than C2's code saves: measured over the suite, their CPU fell from 149 s to 73 s. The
 * stack's own node keeps the full JIT: it works for the whole run, and C2 pays there.
 */
export function laneEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { LOCAL_CASSANDRA_JIT: 'c1', ...env };
}

/** Every file a side lane runs. */
export const SIDE_LANE: readonly string[] = SIDE_LANES.flat();

export interface Lane {
  readonly name: string;
  /** The command and its arguments. */
  readonly command: readonly string[];
}

/** `npm run check`: type check, linter, formatter check. */
export const CHECK_LANE: Lane = { name: 'check', command: ['npm', 'run', '--silent', 'check'] };

/** Mocha over the given files, with `options` (`--reporter=…`, say) before them. */
export function mochaLane(
  name: string,
  options: readonly string[],
  specs: readonly string[],
): Lane {
  return { name, command: ['npx', 'mocha', ...options, ...specs] };
}

/** The whole suite: the main lane (everything but the side lanes' files) and the side lanes. */
export function suiteLanes(options: readonly string[]): Lane[] {
  const ignored = SIDE_LANE.flatMap((file) => ['--ignore', file]);
  return [
    mochaLane('main', options, [...SUITE_SPECS, ...ignored]),
    ...SIDE_LANES.map((files, i) => mochaLane(`side${i + 1}`, options, files)),
  ];
}

/** A lane's process, started: reporting live, or into a file that `report()` reads once it is done. */
export class LaneRun {
  readonly done: Promise<{ code: number; seconds: number }>;

  private constructor(
    readonly lane: Lane,
    private readonly log: string | undefined,
    env: NodeJS.ProcessEnv,
  ) {
    const out = log === undefined ? 'inherit' : fs.openSync(log, 'w');
    const [command = 'false', ...args] = lane.command;
    const child = spawn(command, args, { stdio: ['ignore', out, out], env });
    if (typeof out === 'number') fs.closeSync(out);
    const started = Date.now();
    this.done = new Promise((resolve) => {
      child.on('close', (code) =>
        resolve({ code: code ?? 1, seconds: Math.round((Date.now() - started) / 1000) }),
      );
    });
  }

  /** `live`: its output goes straight to this process's; otherwise into a file in `dir`. */
  static start(lane: Lane, env: NodeJS.ProcessEnv, live: boolean, dir: string): LaneRun {
    return new LaneRun(lane, live ? undefined : path.join(dir, `${lane.name}.log`), env);
  }

  /** Waits for the lane, prints its report (unless it reported live) and a line; its exit code. */
  async finish(): Promise<number> {
    const { code, seconds } = await this.done;
    if (this.log !== undefined) {
      console.log(`\n==== lane ${this.lane.name}: ${this.lane.command.join(' ')}`);
      process.stdout.write(fs.readFileSync(this.log));
    }
    console.log(`==== lane ${this.lane.name}: exit code ${code} after ${seconds} s`);
    return code;
  }
}

/** A directory for lanes' reports, removed after `body`. */
export async function withLaneDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-lanes-'));
  try {
    return await body(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the lanes all at once; the first reports as it goes, each other one's report is printed
 * whole once the lanes before it have finished, so that no two reports interleave. Resolves to
 * the worst exit code.
 */
export async function runLanes(
  lanes: readonly Lane[],
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<number> {
  const runs = lanes.map((lane, i) => LaneRun.start(lane, env, i === 0, dir));
  let worst = 0;
  for (const run of runs) worst = Math.max(worst, await run.finish());
  return worst;
}
