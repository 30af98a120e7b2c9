import pMap from 'p-map';
import type { RawEvent } from './events.ts';

export interface Posted {
  readonly events: readonly RawEvent[];
  /** Indices the API rejected, with their codes. */
  readonly rejected: ReadonlyMap<number, string>;
  readonly batchId: string;
}

/**
 * A persistent client: posts every batch until the API takes it, retrying 503s (after Retry-After)
 * and refused or dropped connections (a restarting API), as the contract asks of clients. Calls
 * `onAccepted` for each 202; a 400 (a batch without one valid event) is reported, not retried.
 */
export async function postAll(
  url: () => string,
  batches: readonly (readonly RawEvent[])[],
  options: {
    concurrency: number;
    onAccepted(posted: Posted): void;
    onRefused?(events: readonly RawEvent[]): void;
  },
): Promise<{ retries: number }> {
  let retries = 0;
  await pMap(
    batches,
    async (events) => {
      for (let attempt = 0; ; attempt++) {
        if (attempt > 400) throw new Error('batch never accepted');
        let response: Response;
        try {
          response = await fetch(`${url()}/v1/batches`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(events),
          });
        } catch {
          retries++;
          await new Promise((r) => setTimeout(r, 100));
          continue;
        }
        const body = (await response.json()) as {
          batch_id: string;
          rejected: { index: number; code: string }[];
        };
        if (response.status === 202) {
          options.onAccepted({
            events,
            batchId: body.batch_id,
            rejected: new Map(body.rejected.map((r) => [r.index, r.code])),
          });
          return;
        }
        if (response.status === 400) {
          options.onRefused?.(events);
          return;
        }
        if (response.status !== 503)
          throw new Error(`unexpected ${response.status}: ${JSON.stringify(body)}`);
        retries++;
        await new Promise((r) =>
          setTimeout(r, Number(response.headers.get('retry-after') ?? 1) * 1000),
        );
      }
    },
    { concurrency: options.concurrency },
  );
  return { retries };
}
