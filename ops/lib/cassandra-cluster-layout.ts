import { OpsError } from './errors.ts';

/** Where each node of a local cluster listens and which token it owns (pure; see cassandra-cluster.ts). */

export interface NodeLayout {
  readonly address: string;
  /** The node's single token: the ring split into equal ranges, one per node. */
  readonly initialToken: string;
}

const MIN_TOKEN = -(2n ** 63n); // Murmur3Partitioner's ring is [-2^63, 2^63)
const RING = 2n ** 64n;

/** `nodes` consecutive loopback addresses from `first` (127.0.0.1 → .1, .2, .3), balanced tokens. */
export function clusterLayout(first: string, nodes: number): NodeLayout[] {
  const octets = first.split('.').map(Number);
  const last = octets[3] ?? 255;
  if (octets[0] !== 127 || last + nodes - 1 > 254)
    throw new OpsError(
      `a local cluster of ${nodes} nodes from ${first} does not fit on the loopback network`,
      'Set LOCAL_CASSANDRA_FIRST_ADDRESS to an address 127.x.y.z with room for every node.',
    );
  return Array.from({ length: nodes }, (_, i) => ({
    address: [...octets.slice(0, 3), last + i].join('.'),
    initialToken: String(MIN_TOKEN + (RING * BigInt(i)) / BigInt(nodes)),
  }));
}
