import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How the local Cassandra JVM is started and configured (see cassandra-local.ts for its lifecycle). */

const LOGBACK = fileURLToPath(new URL('../cassandra/logback.xml', import.meta.url));

export interface NodeOptions {
  /** Loopback address to listen on (a second node for tests runs on 127.0.0.2). */
  readonly address: string;
  /** Directory for the node's config, data, logs and pid file. */
  readonly dir: string;
  readonly heapMb: number;
  /** Set for a node of a local cluster (cassandra-cluster-layout.ts); a lone node has neither. */
  readonly cluster?: { readonly seeds: readonly string[]; readonly initialToken: string };
  /**
   * A node that lives for one test run and is stopped after it (`npm test`'s own): schema changes
   * are not flushed to disk at once (`-Dcassandra.unsafesystem`). See UNSAFE_SYSTEM.
   */
  readonly throwawaySchema?: boolean;
}

// Cassandra 5.0's conf/jvm17-server.options and jvm-server.options: without the JPMS exports and
// opens the JVM dies at start on Java 17.
export const JAVA17_OPTIONS = [
  '-Djdk.attach.allowAttachSelf=true',
  ...[
    'java.base/jdk.internal.misc',
    'java.management.rmi/com.sun.jmx.remote.internal.rmi',
    'java.management/com.sun.jmx.remote.security',
    'java.rmi/sun.rmi.registry',
    'java.rmi/sun.rmi.server',
    'java.sql/java.sql',
    'java.base/java.lang.ref',
    'jdk.unsupported/sun.misc',
  ].map((m) => `--add-exports=${m}=ALL-UNNAMED`),
  ...[
    'java.base/java.lang.module',
    'java.base/jdk.internal.loader',
    'java.base/jdk.internal.ref',
    'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math',
    'java.base/jdk.internal.module',
    'java.base/jdk.internal.util.jar',
    'jdk.management/com.sun.management.internal',
    'java.base/sun.nio.ch',
    'java.base/java.io',
    'java.base/java.lang.reflect',
    'java.base/java.lang',
    'java.base/java.util',
    'java.base/java.nio',
  ].map((m) => `--add-opens=${m}=ALL-UNNAMED`),
  '-Dio.netty.tryReflectionSetAccessible=true',
];

/**
 * The port of a node's JMX server, which listens on 127.0.0.1 only (Cassandra's local JMX): one per
 * node address, so that nodes of a cluster, and nodes of other checkouts on other addresses, never
 * collide. JMX is what `nodetool` talks to (ops/lib/nodetool.ts), e.g. for per-partition figures.
 */
export function jmxPortOf(address: string): number {
  const last = Number(address.split('.').at(-1));
  return 7100 + (Number.isInteger(last) ? last : 0);
}

/** The JVM option that stops compilation at C1 (LOCAL_CASSANDRA_JIT=c1). */
export const C1_ONLY = '-XX:TieredStopAtLevel=1';

/**
 * Skips the flush of the system tables after every schema change. The suite creates and drops
 * some 80 keyspaces of 14 tables on the stack's node, and each of those ~1,300 schema changes
 * flushed the schema tables: ~9,000 flushes and ~3,000 compactions of tiny sstables in one run;
 * a keyspace migrated and dropped took 1.41 s and 2.3 CPU-s of the node, and takes 0.94 s and
 * 1.6 CPU-s without. The price is the schema's durability — after a crash, writes replayed to a
 * table whose creation was not flushed are dropped — which a node that the test run starts and
 * stops, and never crashes, does not pay; the nodes the crash tests kill are their own and keep it.
 */
export const UNSAFE_SYSTEM = '-Dcassandra.unsafesystem=true';

/** The JVM's command line for a node with this heap, classpath and directories. */
export function jvmArguments(node: {
  /** `c1`: the quick compiler only (see LOCAL_CASSANDRA_JIT); `full`: tiered, as in production. */
  jit: 'full' | 'c1';
  throwawaySchema?: boolean;
  jmxPort: number;
  heapMb: number;
  jars: readonly string[];
  jamm: string;
  yaml: string;
  logs: string;
  data: string;
}): string[] {
  return [
    `-Xms${node.heapMb}m`,
    `-Xmx${node.heapMb}m`,
    '-Xss256k',
    '-XX:+UseG1GC',
    // Reads fan out to several partitions, so a request waits for the slowest: short pauses
    // matter more than throughput (measured: young pauses averaged 23 ms with G1's default
    // goal, 15 ms with this one).
    '-XX:MaxGCPauseMillis=20',
    '-XX:+ParallelRefProcEnabled',
    '-XX:+ExitOnOutOfMemoryError',
    ...(node.jit === 'c1' ? [C1_ONLY] : []),
    ...(node.throwawaySchema ? [UNSAFE_SYSTEM] : []),
    '-Djava.net.preferIPv4Stack=true',
    '-Dchronicle.analytics.disable=true',
    ...JAVA17_OPTIONS,
    `-javaagent:${node.jamm}`,
    `-Dcassandra.config=file://${node.yaml}`,
    `-Dlogback.configurationFile=file://${LOGBACK}`,
    `-Dcassandra.logdir=${node.logs}`,
    `-Dcassandra.storagedir=${node.data}`,
    '-Dcassandra-foreground=yes',
    `-Dcassandra.jmx.local.port=${node.jmxPort}`,
    // A lone local node: no gossip to settle, no ring to wait for.
    '-Dcassandra.skip_wait_for_gossip_to_settle=0',
    '-Dcassandra.ring_delay_ms=100',
    '-cp',
    node.jars.join(path.delimiter),
    'org.apache.cassandra.service.CassandraDaemon',
  ];
}

// Cassandra 5.0 refuses unknown keys, so this lists only what the local node needs to differ from
// the built-in defaults.
//
// Durability: the node survives SIGKILL at any instant with everything it acknowledged. `batch`
// acknowledges a write only after the commit log holding it is fsynced (writes arriving during a
// sync share the next one), where Cassandra's default `periodic` acknowledges first and syncs
// every ten seconds — a crash of a lone node then loses the last seconds of acknowledged writes.
// The schema is as safe as the data: no `-Dcassandra.unsafesystem`, which skips the flush of
// schema changes and, after a crash, leaves every replayed write to an "unknown" table dropped.
//
// A node of a local cluster owns one balanced token and skips bootstrapping (streaming from the
// others, after a 30 s ring delay): all nodes start empty, together, each owning its range at once.
export function nodeYaml(data: string, options: NodeOptions): string {
  const seeds = options.cluster?.seeds.join(',') ?? options.address;
  return `# Written by ops/lib/cassandra-node-config.ts for the local node (npm start, npm test); edits are overwritten.
cluster_name: player-sessions-local
num_tokens: 1
initial_token: ${options.cluster?.initialToken ?? '0'}
${options.cluster ? 'auto_bootstrap: false\n' : ''}partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${seeds}"
listen_address: ${options.address}
rpc_address: ${options.address}
native_transport_port: 9042
storage_port: 7000
commitlog_sync: batch
# Every write waits in a MutationStage thread for its commit-log sync: 32 threads (the default)
# capped a bulk load near 4,700 mutations/s with the node half idle.
concurrent_writes: 128
commitlog_segment_size: 8MiB
auto_snapshot: false
# The workers send unlogged batches across partitions when every node holds every partition
# (docs/DECISIONS.md): Cassandra would warn about each one, in its log and to the client.
batch_size_warn_threshold: 64KiB
unlogged_batch_across_partitions_warn_threshold: 100000
concurrent_compactors: 1
data_file_directories: [${data}/data]
commitlog_directory: ${data}/commitlog
saved_caches_directory: ${data}/saved_caches
hints_directory: ${data}/hints
cdc_raw_directory: ${data}/cdc_raw
`;
}
