import { Pool } from 'undici';

/**
 * The benchmark's HTTP client: one keep-alive connection pool to the API, large enough that the
 * client never queues requests of its own (that would hide server latency).
 */
export class BenchClient {
  private readonly pool: Pool;

  constructor(
    readonly url: string,
    connections = 256,
    /** Sent on every request as `Authorization: Bearer` (the service runs with AUTH=on). */
    readonly apiKey?: string,
  ) {
    this.pool = new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30_000 });
  }

  async post(
    path: string,
    body: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    const response = await this.pool.request({
      method: 'POST',
      path,
      body,
      headers: { 'content-type': 'application/json', ...this.auth(), ...headers },
    });
    return { status: response.statusCode, body: await response.body.text() };
  }

  async get(path: string): Promise<{ status: number; body: string }> {
    const response = await this.pool.request({ method: 'GET', path, headers: this.auth() });
    return { status: response.statusCode, body: await response.body.text() };
  }

  private auth(): Record<string, string> {
    return this.apiKey === undefined ? {} : { authorization: `Bearer ${this.apiKey}` };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}
