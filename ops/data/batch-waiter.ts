import { setTimeout as sleep } from 'node:timers/promises';
import { pMapIterable } from 'p-map';

export interface WaitOptions {
  readonly url: string;
  readonly concurrency: number;
  readonly apiKey?: string | undefined;
  readonly pollIntervalMs?: number;
  /** Give up when no batch has finished for this long. */
  readonly stallTimeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The clock the stall timeout is measured on (a test's own, moved by its `sleep`). */
  readonly now?: () => number;
  readonly onProgress?: (progress: { done: number; finished: number; total: number }) => void;
}

export interface WaitResult {
  readonly done: number;
  /** Batches the workers gave up on (kept in Bull Board, replayable). */
  readonly failed: readonly string[];
  /** Batches the service no longer knows (404): their fate cannot be told. */
  readonly unknown: readonly string[];
  /** Batches still queued or processing when the wait gave up. */
  readonly pending: readonly string[];
}

type State = 'queued' | 'processing' | 'done' | 'failed' | 'unknown' | 'unanswered';

/**
 * Polls GET /v1/batches/{id} until every batch is done or failed. Each round asks about the
 * batches still open; a round that sees none finish for `stallTimeoutMs` ends the wait, so a
 * stopped worker does not keep the loader waiting forever.
 */
export async function waitForBatches(
  ids: readonly string[],
  options: WaitOptions,
): Promise<WaitResult> {
  const failed: string[] = [];
  const unknown: string[] = [];
  let done = 0;
  let open = [...ids];
  const now = options.now ?? Date.now;
  let lastFinish = now();
  const report = () =>
    options.onProgress?.({ done, finished: ids.length - open.length, total: ids.length });
  while (open.length) {
    const still: string[] = [];
    const states = pMapIterable(
      open,
      async (id) => ({ id, state: await stateOf(id, options.url, options.apiKey) }),
      {
        concurrency: options.concurrency,
        preserveOrder: false,
      },
    );
    for await (const { id, state } of states) {
      if (state === 'done') done += 1;
      else if (state === 'failed') failed.push(id);
      else if (state === 'unknown') unknown.push(id);
      else still.push(id);
    }
    if (still.length < open.length) lastFinish = now();
    open = still;
    report();
    if (!open.length || now() - lastFinish > (options.stallTimeoutMs ?? 120_000)) break;
    await (options.sleep ?? sleep)(options.pollIntervalMs ?? 1000);
  }
  return { done, failed, unknown, pending: open };
}

async function stateOf(id: string, url: string, apiKey: string | undefined): Promise<State> {
  try {
    const response = await fetch(new URL(`/v1/batches/${encodeURIComponent(id)}`, url), {
      signal: AbortSignal.timeout(10_000),
      ...(apiKey === undefined ? {} : { headers: { authorization: `Bearer ${apiKey}` } }),
    });
    const body = (await response.json().catch(() => ({}))) as { state?: unknown };
    if (response.status === 404) return 'unknown';
    const state = body.state;
    return state === 'queued' || state === 'processing' || state === 'done' || state === 'failed'
      ? state
      : 'unanswered';
  } catch {
    // Unreachable for now: asked again next round, until the stall timeout.
    return 'unanswered';
  }
}
