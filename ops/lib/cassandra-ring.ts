import cassandra from 'cassandra-driver';

/**
 * What the nodes of a cluster say about each other, asked over CQL (no nodetool needed, and no
 * JVM started per question): each node's own gossip state (`system_views.gossip_info`) and the
 * hints it holds for others (`system_views.pending_hints`). Every query goes to one node only.
 */

const DC = 'datacenter1'; // SimpleSnitch's data centre (cassandra-node-config.ts)

/** Runs `fn` with a client whose every query is coordinated by the node at `address`. */
export async function onNode<T>(
  address: string,
  fn: (client: cassandra.Client) => Promise<T>,
): Promise<T> {
  const point = `${address}:9042`;
  const client = new cassandra.Client({
    contactPoints: [point],
    localDataCenter: DC,
    socketOptions: { connectTimeout: 2000, readTimeout: 5000 },
    pooling: { warmup: false },
    policies: {
      loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(
        new cassandra.policies.loadBalancing.DCAwareRoundRobinPolicy(DC),
        [point],
      ),
    },
  });
  try {
    await client.connect();
    return await fn(client);
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}

interface GossipEntry {
  readonly generation: number;
  readonly status: string;
}

async function gossipOf(address: string): Promise<Map<string, GossipEntry>> {
  return onNode(address, async (client) => {
    const result = await client.execute('SELECT * FROM system_views.gossip_info');
    return new Map(
      result.rows.map((row) => [
        String(row.get('address')),
        {
          generation: Number(row.get('generation')),
          status: String(row.get('status_with_port') ?? row.get('status') ?? ''),
        },
      ]),
    );
  });
}

/**
 * Whether every node is "UN" as nodetool would say: it answers CQL, and every node's gossip has
 * it in state NORMAL with the generation the node itself runs (so a restarted node counts only
 * once the others have gossiped with its new incarnation, which is when they mark it alive).
 * Otherwise the reason, naming the first node that is not.
 */
export async function ringStatus(addresses: readonly string[]): Promise<true | string> {
  const views = new Map<string, Map<string, GossipEntry>>();
  for (const address of addresses) {
    try {
      views.set(address, await gossipOf(address));
    } catch {
      return `${address} does not answer CQL`;
    }
  }
  for (const [viewer, view] of views) {
    for (const address of addresses) {
      const own = views.get(address)?.get(address);
      const seen = view.get(address);
      if (!own || !seen || !seen.status.startsWith('NORMAL'))
        return `${viewer} does not see ${address} as NORMAL`;
      if (seen.generation !== own.generation)
        return `${viewer} has not yet gossiped with ${address} since it restarted`;
    }
  }
  return true;
}

/** The hint files each node holds for others (all zero once hinted handoff has delivered them). */
export async function pendingHintFiles(addresses: readonly string[]): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  for (const address of addresses) {
    const held = await onNode(address, async (client) => {
      const result = await client.execute('SELECT files FROM system_views.pending_hints');
      return result.rows.reduce((sum, row) => sum + Number(row.get('files') ?? 0), 0);
    });
    files.set(address, held);
  }
  return files;
}
