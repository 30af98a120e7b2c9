import { SCOPES } from '../../src/auth/api-key.ts';
import { loadConfig } from '../../src/config/env.ts';
import { ApiKeys } from '../../src/storage/api-keys.ts';
import { dropKeyspace, keyspaceOptionsOf, migrate } from '../../src/storage/migrator.ts';
import { createKey } from '../lib/api-keys.ts';
import { freePort } from '../lib/free-port.ts';
import { ServiceProcess } from '../lib/service-process.ts';
import type { Harness } from './harness.ts';
import { BenchClient } from './http-client.ts';
import type { RestoreTarget } from './phases/lifecycle.ts';

/**
 * A second API and worker beside the harness's, on an empty keyspace and a queue of their own
 * (`<keyspace>_restore`): where the lifecycle phase restores an export, as an operator would
 * restore into a fresh deployment.
 */
export class RestoreService {
  private readonly processes: ServiceProcess[] = [];
  private client: BenchClient | undefined;
  private readonly keyspace: string;

  constructor(private readonly harness: Pick<Harness, 'target' | 'serviceEnv'>) {
    this.keyspace = `${harness.target.keyspace}_restore`;
  }

  async start(): Promise<RestoreTarget> {
    const { cassandra } = this.harness.target;
    await dropKeyspace(cassandra, this.keyspace);
    await migrate(cassandra, { ...keyspaceOptionsOf(loadConfig()), keyspace: this.keyspace });
    const { key } = await createKey(new ApiKeys(cassandra, this.keyspace), 'restore', SCOPES);
    const port = await freePort();
    const env = {
      ...this.harness.serviceEnv,
      PORT: String(port),
      CASSANDRA_KEYSPACE: this.keyspace,
      QUEUE_PREFIX: this.keyspace,
    };
    this.processes.push(await ServiceProcess.start('web', env));
    this.processes.push(await ServiceProcess.start('worker', env));
    const client = new BenchClient(`http://127.0.0.1:${port}`, 16, key);
    this.client = client;
    return { url: client.url, apiKey: key, get: (path) => client.get(path) };
  }

  async stop(): Promise<void> {
    await this.client?.close();
    for (const p of this.processes) p.kill('SIGTERM');
    await Promise.all(this.processes.map((p) => p.exited));
    await dropKeyspace(this.harness.target.cassandra, this.keyspace).catch(() => undefined);
  }
}
