import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.ts';
import { waitFor } from './process.ts';
import {
  primaryInSync,
  primaryPortOf,
  SENTINEL_NAME,
  startDataNode,
  startSentinelNode,
  type SentinelNode,
} from './sentinel-nodes.ts';

export { SENTINEL_NAME, SENTINEL_TIMINGS } from './sentinel-nodes.ts';

/**
 * Where the nodes listen: the primary on `dataPort` and the replica on the next port, the
 * sentinels on `sentinelPort` and the two after it; free ports where not given.
 */
export interface SentinelPorts {
  readonly dataPort?: number | undefined;
  readonly sentinelPort?: number | undefined;
}

/**
 * A local Redis with automatic failover, for trials and tests: a primary, one replica and three
 * sentinels (`redis-server --sentinel`, so no package beyond redis-server), each with a directory
 * of its own, the data nodes with the queue's settings (append-only, fsync always, noeviction),
 * the sentinels with the timings a production deployment runs (SENTINEL_TIMINGS). Nodes are child
 * processes of this one: `stop()` ends them and removes their directories.
 */
export class LocalSentinelRedis {
  private constructor(
    readonly base: string,
    /** The two data nodes: the first starts as the primary. */
    private readonly data: readonly [SentinelNode, SentinelNode],
    private readonly sentinels: readonly SentinelNode[],
  ) {}

  static async start(ports: SentinelPorts = {}): Promise<LocalSentinelRedis> {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-sentinel-'));
    const node = async (
      name: string,
      first: number | undefined,
      n: number,
    ): Promise<SentinelNode> => {
      const dir = path.join(base, name);
      fs.mkdirSync(dir);
      return { port: first === undefined ? await freePort() : first + n, dir };
    };
    const data = [
      await node('primary', ports.dataPort, 0),
      await node('replica', ports.dataPort, 1),
    ] as const;
    const sentinels = [
      await node('s1', ports.sentinelPort, 0),
      await node('s2', ports.sentinelPort, 1),
      await node('s3', ports.sentinelPort, 2),
    ];
    const local = new LocalSentinelRedis(base, data, sentinels);
    await startDataNode(data[0]);
    await startDataNode(data[1], data[0].port);
    for (const s of sentinels) await startSentinelNode(s, data[0].port);
    await local.waitForReplica();
    return local;
  }

  /** The environment that points the service at this setup. */
  get env(): Record<string, string> {
    return {
      REDIS_SENTINELS: this.sentinels.map((s) => `127.0.0.1:${s.port}`).join(','),
      REDIS_SENTINEL_NAME: SENTINEL_NAME,
    };
  }

  /** The port of the node the sentinels call the primary now. */
  primaryPort(): Promise<number> {
    return primaryPortOf(this.sentinels);
  }

  /** SIGKILLs the current primary; returns its port (to restart it with `restart`). */
  async killPrimary(): Promise<number> {
    const port = await this.primaryPort();
    const child = this.childOn(port);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    return port;
  }

  /**
   * SIGSTOPs the data node on `port`: it keeps its connections and data but answers nothing, as a
   * node stalled by its machine would, until `resume`.
   */
  pause(port: number): void {
    this.childOn(port).kill('SIGSTOP');
  }

  /** SIGCONTs a paused data node: it carries on with what it had, whatever happened meanwhile. */
  resume(port: number): void {
    this.childOn(port).kill('SIGCONT');
  }

  /** Waits until the sentinels name a primary other than the one on `port`; returns its port. */
  async waitForPrimaryOtherThan(port: number, timeoutMs = 60_000): Promise<number> {
    let now = port;
    const moved = async () => {
      now = await this.primaryPort().catch(() => port);
      return now !== port;
    };
    if (!(await waitFor(moved, timeoutMs, 50)))
      throw new Error(`the sentinels kept the primary on ${port}`);
    return now;
  }

  /** Starts a killed data node again: the sentinels make it a replica of the new primary. */
  async restart(port: number): Promise<void> {
    const node = this.data.find((n) => n.port === port);
    if (!node) throw new Error(`no data node on ${port}`);
    await startDataNode(node);
  }

  /** Waits until the primary has a replica that is in sync (a 202 with WAIT 1 is possible). */
  async waitForReplica(timeoutMs = 30_000): Promise<void> {
    const synced = async () => this.inSync(await this.primaryPort());
    if (!(await waitFor(synced, timeoutMs, 100))) throw new Error('no replica came in sync');
  }

  /** Whether the node on `port` is a primary with a replica in sync. */
  inSync(port: number): Promise<boolean> {
    return primaryInSync(port);
  }

  async stop(): Promise<void> {
    for (const node of [...this.sentinels, ...this.data]) {
      const child = node.child;
      if (child && child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGKILL');
        await exited;
      }
    }
    fs.rmSync(this.base, { recursive: true, force: true });
  }

  private childOn(port: number): ChildProcess {
    const child = this.data.find((n) => n.port === port)?.child;
    if (!child) throw new Error(`no data node of ours on ${port}`);
    return child;
  }
}
