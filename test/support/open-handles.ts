import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A check that the suite leaves nothing running: a mocha root hook (registered in .mocharc.json)
 * that, once every test is done, lists the timers, sockets, servers and child processes still
 * alive and fails the run when any of them is the project's own.
 *
 * Why this instead of letting mocha exit by itself (no `exit: true`): cassandra-driver 4.10 leaves
 * an orphaned Host behind when its control connection re-initialises after a node restart
 * (control-connection.js `_initializeConnection` → `_refreshHosts(true)` puts a new Host in the
 * map without shutting the old one down), and the orphan's health-check interval and pool
 * reconnection timer never stop. Likewise a control connection that failed to reconnect while a
 * node was down schedules its next attempt (control-connection.js `_refresh`, the reconnection
 * policy's delay, tens of seconds after a long outage) and `shutdown()` never clears it. The crash
 * tests restart Cassandra, so a natural exit would hang forever with nothing to say why; this
 * check names what is left and tolerates only those.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KNOWN_LEAKS = [
  /node_modules\/cassandra-driver\/lib\/(host|host-connection-pool|control-connection)\.js/,
];
const THIS_FILE = fileURLToPath(import.meta.url);

interface Origin {
  readonly kind: 'timeout' | 'interval';
  readonly where: string;
}

const timers = new Map<NodeJS.Timeout, Origin>();
const real = {
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  clearTimeout: globalThis.clearTimeout,
  clearInterval: globalThis.clearInterval,
};

/** The first frame of the caller outside this file and Node's internals. */
function callerFrame(): string {
  const frames = (new Error().stack ?? '').split('\n').slice(2);
  const frame = frames.find((f) => !f.includes(THIS_FILE) && !f.includes('node:internal'));
  return (frame ?? '(unknown)').trim().replace(ROOT, '');
}

function track(kind: Origin['kind'], timer: NodeJS.Timeout): NodeJS.Timeout {
  timers.set(timer, { kind, where: callerFrame() });
  return timer;
}

globalThis.setTimeout = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  const timer: NodeJS.Timeout = real.setTimeout(
    (...a: unknown[]) => {
      timers.delete(timer);
      fn(...a);
    },
    ms,
    ...args,
  );
  return track('timeout', timer);
}) as typeof globalThis.setTimeout;
globalThis.setInterval = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
  track('interval', real.setInterval(fn, ms, ...args))) as typeof globalThis.setInterval;
globalThis.clearTimeout = ((timer?: NodeJS.Timeout) => {
  if (timer) timers.delete(timer);
  real.clearTimeout(timer);
}) as typeof globalThis.clearTimeout;
globalThis.clearInterval = ((timer?: NodeJS.Timeout) => {
  if (timer) timers.delete(timer);
  real.clearInterval(timer);
}) as typeof globalThis.clearInterval;

/** What keeps the process alive now, apart from the known driver leak. */
function leftovers(): string[] {
  const found: string[] = [];
  for (const [timer, origin] of timers) {
    if (!timer.hasRef() || KNOWN_LEAKS.some((k) => k.test(origin.where))) continue;
    found.push(`${origin.kind} set ${origin.where}`);
  }
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  for (const handle of handles) {
    const h = handle as { constructor: { name: string }; fd?: number; hasRef?(): boolean };
    if (h.hasRef?.() === false) continue;
    if (h.fd !== undefined && h.fd <= 2) continue; // stdin, stdout, stderr
    found.push(`${h.constructor.name}${describeHandle(handle)}`);
  }
  return found;
}

function describeHandle(handle: unknown): string {
  const h = handle as {
    remoteAddress?: string;
    remotePort?: number;
    address?: () => unknown;
    pid?: number;
    spawnfile?: string;
  };
  if (h.remoteAddress) return ` to ${h.remoteAddress}:${h.remotePort}`;
  if (h.pid !== undefined) return ` pid ${h.pid} (${path.basename(h.spawnfile ?? '?')})`;
  return '';
}

export const mochaHooks = {
  async afterAll(this: Mocha.Context): Promise<void> {
    this.timeout(10_000);
    // Connections closed by the last tests finish closing on the next turns of the loop.
    const deadline = Date.now() + 5000;
    let left = leftovers();
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => real.setTimeout(resolve, 100));
      left = leftovers();
    }
    if (left.length > 0)
      throw new Error(`the suite left these running:\n  ${[...new Set(left)].join('\n  ')}`);
  },
};
