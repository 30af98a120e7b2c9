import type { TrafficTarget } from '../cluster/live-traffic.ts';
import type { HttpResult } from './service.ts';

export type ReleaseName = 'previous' | 'current';

/** A batch an API process took (202): by which release, and when. */
export interface Taken {
  readonly batchId: string;
  readonly by: ReleaseName;
  readonly at: number;
}

/**
 * Clients of several API processes behind one address, as a load balancer spreads them: each
 * request goes to the next running API in turn. A process is taken out of the rotation before it
 * is stopped, as a load balancer drains it. Remembers which release took each batch.
 */
export class RotatingClient implements TrafficTarget {
  private readonly apis: { url: string; release: ReleaseName }[] = [];
  readonly taken: Taken[] = [];
  private turn = 0;

  add(url: string, release: ReleaseName): void {
    this.apis.push({ url, release });
  }

  remove(url: string): void {
    const at = this.apis.findIndex((a) => a.url === url);
    if (at >= 0) this.apis.splice(at, 1);
  }

  async post(body: unknown): Promise<HttpResult> {
    const api = this.next();
    const response = await fetch(`${api.url}/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (response.status === 202)
      this.taken.push({ batchId: String(json.batch_id), by: api.release, at: Date.now() });
    return { status: response.status, headers: response.headers, body: json };
  }

  async get<T = Record<string, unknown>>(path: string): Promise<HttpResult<T>> {
    const response = await fetch(`${this.next().url}${path}`);
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as T,
    };
  }

  private next(): { url: string; release: ReleaseName } {
    const api = this.apis[this.turn++ % Math.max(1, this.apis.length)];
    if (!api) throw new Error('no API process is running');
    return api;
  }
}
