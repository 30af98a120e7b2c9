import path from 'node:path';
import { LocalCassandra } from './cassandra-local.ts';
import { clusterLayout } from './cassandra-cluster-layout.ts';
import { pendingHintFiles, ringStatus } from './cassandra-ring.ts';
import { OpsError } from './errors.ts';
import type { LocalSettings } from './local-settings.ts';
import { waitFor } from './process.ts';

const RING_TIMEOUT_MS = 120_000;

/**
 * The local Cassandra as one node (`npm start`, `npm test`) or as a cluster of N nodes on
 * consecutive loopback addresses (`npm run stack -- up --nodes 3`, `npm run test:cluster`), each
 * node a LocalCassandra with its own directory under `<LOCAL_STACK_DIR>/cassandra-cluster`.
 */
export class LocalCassandraCluster {
  readonly nodes: readonly LocalCassandra[];

  constructor(
    local: LocalSettings,
    readonly size = 1,
    private readonly say: (line: string) => void = console.log,
    options: { throwawaySchema?: boolean } = {},
  ) {
    if (size === 1) {
      this.nodes = [new LocalCassandra(local, say, options)];
      return;
    }
    const layout = clusterLayout(local.cassandraFirstAddress, size);
    const dir = path.join(
      local.dir,
      'cassandra-cluster',
      `${size}-nodes-from-${local.cassandraFirstAddress}`,
    );
    this.nodes = layout.map(
      (node, i) =>
        new LocalCassandra(local, say, {
          address: node.address,
          dir: path.join(dir, `node${i + 1}`),
          heapMb: local.cassandraClusterHeapMb,
          cluster: { seeds: layout.map((n) => n.address), initialToken: node.initialToken },
        }),
    );
  }

  get contactPoints(): string[] {
    return this.nodes.map((node) => node.contactPoint);
  }

  get addresses(): string[] {
    return this.nodes.map((node) => node.address);
  }

  /**
   * Starts every node that does not answer yet, one after another (two cores do not start three
   * JVMs at once well), then waits until every node is UN; returns whether it started any.
   */
  async start(): Promise<boolean> {
    let started = false;
    for (const node of this.nodes) started = (await node.start()) || started;
    if (this.size > 1) await this.waitUntilNormal();
    return started;
  }

  /** Stops the nodes this checkout started; returns whether there was any. */
  async stop(): Promise<boolean> {
    let stopped = false;
    for (const node of [...this.nodes].reverse()) stopped = (await node.stop()) || stopped;
    return stopped;
  }

  async isUp(): Promise<boolean> {
    for (const node of this.nodes) if (!(await node.isUp())) return false;
    return true;
  }

  /** Waits until every node answers and every node's gossip sees every node NORMAL. */
  async waitUntilNormal(timeoutMs = RING_TIMEOUT_MS): Promise<void> {
    let status: true | string = 'not asked yet';
    const started = Date.now();
    const normal = await waitFor(
      async () => (status = await ringStatus(this.addresses)) === true,
      timeoutMs,
      500,
    );
    if (!normal)
      throw new OpsError(
        `The local cluster did not settle within ${timeoutMs / 1000} s: ${status}.`,
      );
    this.say(
      `  All ${this.size} nodes are UN (${this.addresses.join(', ')}) after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }

  /** The hint files the nodes hold for one another, in total. */
  async pendingHints(): Promise<number> {
    const files = await pendingHintFiles(this.addresses);
    return [...files.values()].reduce((a, b) => a + b, 0);
  }
}
