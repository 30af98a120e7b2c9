import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout } from 'node:timers/promises';
import { cqlAnswers } from './cql-probe.ts';
import {
  JAVA17_OPTIONS,
  jmxPortOf,
  C1_ONLY,
  jvmArguments,
  UNSAFE_SYSTEM,
  nodeYaml,
  type NodeOptions,
} from './cassandra-node-config.ts';
import { checkJava, lastLines, resolveClasspath } from './cassandra-toolchain.ts';
import { OpsError } from './errors.ts';
import type { LocalSettings } from './local-settings.ts';
import { awaitExit, readPid, removePidFile, run, spawnDetached, terminate } from './process.ts';

export type { NodeOptions };

/**
 * A single Apache Cassandra 5.0 node for development and tests, without Docker and without the
 * Apache tarball: Maven resolves `cassandra-all` and its runtime jars from Maven Central into the
 * Maven cache (once per machine), and the node runs as a detached JVM whose data, logs and pid file
 * live under `<LOCAL_STACK_DIR>/cassandra`.
 */

const START_TIMEOUT_MS = 180_000;
// A clean shutdown drains and flushes; past this the node is killed (the commit log makes that safe).
const STOP_GRACE_MS = 60_000;
const DAEMON_CLASS = 'org.apache.cassandra.service.CassandraDaemon';
// SimpleSnitch (see cassandra-node-config.ts) puts the node in this data centre.
const LOCAL_DC = 'datacenter1';

export class LocalCassandra {
  readonly dir: string;
  private readonly pidFile: string;
  private readonly launchFile: string;
  /** Names the pid of a node that is being stopped. */
  private readonly stoppingFile: string;
  private readonly options: NodeOptions;

  constructor(
    private readonly local: LocalSettings,
    private readonly say: (line: string) => void = console.log,
    options: Partial<NodeOptions> = {},
  ) {
    this.options = {
      address: local.cassandraFirstAddress,
      dir: path.join(local.dir, 'cassandra'),
      heapMb: local.cassandraHeapMb,
      ...options,
    };
    this.dir = this.options.dir;
    this.pidFile = path.join(this.dir, 'cassandra.pid');
    this.launchFile = path.join(this.dir, 'cassandra.launch');
    this.stoppingFile = path.join(this.dir, 'cassandra.stopping');
  }

  get address(): string {
    return this.options.address;
  }

  /** The node's contact point (127.0.0.1:9042 for the project's local node). */
  get contactPoint(): string {
    return `${this.options.address}:9042`;
  }

  /**
   * Resolves the server's classpath, downloading the jars on the first call on a machine. Once per
   * stack directory, not per node: the jars are the same for every node (a cluster's, a test's own).
   */
  async fetch(): Promise<string[]> {
    const version = this.local.cassandraVersion;
    const file = path.join(this.local.dir, `cassandra-classpath-${version}.txt`);
    return resolveClasspath(version, file, this.say);
  }

  /** True when a CQL server answers at the local contact point. */
  async isUp(): Promise<boolean> {
    return cqlAnswers([this.contactPoint], LOCAL_DC);
  }

  /**
   * Starts the node unless one already answers; returns whether this call started it. A node this
   * checkout started earlier is reused only when it runs with the settings this code would start
   * it with (one started by an older version, say without a durable commit log, is restarted),
   * and only when it is not going away: a node being stopped — just now by `npm start` after
   * Ctrl-C, say — is waited for until it has exited, and a fresh one is started.
   */
  async start(): Promise<boolean> {
    await this.letStoppingNodeExit();
    const running = this.pid();
    if (running === undefined && (await this.isUp())) return false; // not ours: reuse it as it is
    const launch = await this.launch();
    if (running !== undefined) {
      if (this.launchedWith() === launch.fingerprint) {
        this.say(`Waiting for the local Cassandra (pid ${running}) to answer ...`);
        if ((await this.waitUntilUp(running)) === 'up') return false;
        this.say(`The local Cassandra (pid ${running}) is going away; starting a new one.`);
        await this.letStoppingNodeExit(running);
      } else {
        this.say(`The local Cassandra (pid ${running}) runs with older settings; restarting it.`);
        await this.stop();
      }
    }
    launch.writeConfig();
    const started = Date.now();
    const pid = spawnDetached(launch.java, launch.args, {
      cwd: this.dir,
      logFile: path.join(this.dir, 'logs', 'stdout.log'),
      pidFile: this.pidFile,
    });
    fs.writeFileSync(this.launchFile, launch.fingerprint);
    this.say(
      `Starting the local Cassandra (pid ${pid}, data in ${path.join(this.dir, 'data')}) ...`,
    );
    if ((await this.waitUntilUp(pid)) !== 'up') throw this.diedError();
    this.say(
      `  Cassandra answers CQL on ${this.contactPoint} after ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return true;
  }

  /**
   * Stops the node this checkout started and waits until it has exited (SIGKILL after a grace
   * period); returns false when there was none. Marks the node as going away before signalling
   * it, so that a start meanwhile does not take it for a running one.
   */
  async stop(): Promise<boolean> {
    const pid = this.pid();
    if (pid === undefined) return false;
    this.say(`Stopping the local Cassandra (pid ${pid}) ...`);
    fs.writeFileSync(this.stoppingFile, `${pid}\n`);
    await terminate(pid, STOP_GRACE_MS);
    removePidFile(this.pidFile, pid);
    removePidFile(this.stoppingFile, pid);
    return true;
  }

  /** Runs `nodetool` against this node (its JMX port), e.g. `toppartitions`; resolves to its output. */
  async nodetool(args: readonly string[]): Promise<string> {
    const java = await checkJava(this.local.javaHome);
    const jars = await this.fetch();
    const port = String(jmxPortOf(this.options.address));
    const answer = await run(java, [
      ...JAVA17_OPTIONS,
      // A client that lives a second: the quick compiler and the serial collector start fastest.
      C1_ONLY,
      '-XX:+UseSerialGC',
      '-cp',
      jars.join(path.delimiter),
      'org.apache.cassandra.tools.NodeTool',
      '-h',
      '127.0.0.1',
      '-p',
      port,
      ...args,
    ]);
    if (answer.code !== 0)
      throw new OpsError(`nodetool ${args.join(' ')} failed: ${answer.stderr || answer.stdout}`);
    return answer.stdout;
  }

  /** The pid of the node this checkout started, if it runs. */
  pid(): number | undefined {
    return readPid(this.pidFile, DAEMON_CLASS);
  }

  /** Waits for a node that is being stopped (or `pid`, known to be going) to exit. */
  private async letStoppingNodeExit(pid = readPid(this.stoppingFile, DAEMON_CLASS)): Promise<void> {
    if (pid === undefined) return;
    this.say(`The local Cassandra (pid ${pid}) is shutting down; waiting for it to exit ...`);
    await awaitExit(pid, STOP_GRACE_MS);
    removePidFile(this.pidFile, pid);
    removePidFile(this.stoppingFile, pid);
  }

  /** 'up' once `pid` answers CQL; 'gone' when it exits or is marked as stopping first. */
  private async waitUntilUp(pid: number): Promise<'up' | 'gone'> {
    const goingAway = () => readPid(this.pidFile) !== pid || readPid(this.stoppingFile) === pid;
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (goingAway()) return 'gone';
      if (await this.isUp()) return goingAway() ? 'gone' : 'up';
      await setTimeout(500);
    }
    throw new OpsError(
      `Cassandra did not answer within ${START_TIMEOUT_MS / 1000} s.`,
      this.logHint(),
    );
  }

  private diedError(): OpsError {
    return new OpsError('The local Cassandra exited during start-up.', this.logHint());
  }

  private logHint(): string {
    const stdout = path.join(this.dir, 'logs', 'stdout.log');
    const tail = fs.existsSync(stdout) ? lastLines(fs.readFileSync(stdout, 'utf8'), 12) : '';
    return `Its logs are in ${path.join(this.dir, 'logs')}.${tail ? `\n${tail}` : ''}`;
  }

  /** The java binary, arguments and config file the node starts with, and their digest. */
  private async launch(): Promise<{
    java: string;
    args: string[];
    fingerprint: string;
    writeConfig: () => void;
  }> {
    const java = await checkJava(this.local.javaHome);
    const jars = await this.fetch();
    const jamm = jars.find((jar) => /\/jamm-[\d.]+\.jar$/.test(jar));
    if (!jamm) throw new OpsError('The resolved classpath has no jamm agent jar.');
    const confDir = path.join(this.dir, 'conf');
    const data = path.join(this.dir, 'data');
    const logs = path.join(this.dir, 'logs');
    for (const dir of [confDir, data, logs]) fs.mkdirSync(dir, { recursive: true });
    const yaml = path.join(confDir, 'cassandra.yaml');
    const yamlText = nodeYaml(data, this.options);
    const args = jvmArguments({
      jit: this.local.cassandraJit,
      throwawaySchema: this.options.throwawaySchema ?? false,
      jmxPort: jmxPortOf(this.options.address),
      heapMb: this.options.heapMb,
      jars,
      jamm,
      yaml,
      logs,
      data,
    });
    // How the JVM compiles changes no behaviour, and a test run stops the throwaway node it started:
    // a node started either way is reused by the other.
    const kept = args.filter((a) => a !== C1_ONLY && a !== UNSAFE_SYSTEM);
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([java, kept, yamlText]))
      .digest('hex');
    return { java, args, fingerprint, writeConfig: () => fs.writeFileSync(yaml, yamlText) };
  }

  /** The digest of the settings the running node was started with, if it was recorded. */
  private launchedWith(): string | undefined {
    return fs.existsSync(this.launchFile) ? fs.readFileSync(this.launchFile, 'utf8') : undefined;
  }
}
