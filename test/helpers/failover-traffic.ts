import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pMap from 'p-map';
import { postPersistently, type Posted } from './client.ts';
import type { RawEvent } from './events.ts';

/** What a client was told at one moment. */
export interface Answer {
  readonly sentAt: number;
  readonly at: number;
  readonly status: number;
  readonly code: string | undefined;
  readonly retryAfter: string | null;
  readonly body: Record<string, unknown>;
}

/** A keyed batch that got its 202: what a repeat of it must be told too. */
export interface KeyedAccepted extends Posted {
  readonly key: string;
  readonly body: string;
  readonly accepted: number;
}

/** POSTs a body once and notes the answer, whatever it is. */
async function postOnce(url: string, body: string, key: string | undefined): Promise<Answer> {
  const sentAt = Date.now();
  const response = await fetch(`${url}/v1/batches`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    body,
  });
  const parsed = (await response.json()) as Record<string, unknown> & { error?: { code?: string } };
  return {
    sentAt,
    at: Date.now(),
    status: response.status,
    code: parsed.error?.code,
    retryAfter: response.headers.get('retry-after'),
    body: parsed,
  };
}

/**
 * Posts a keyed batch every `everyMs`, each first once by hand (to see what a client is told at
 * that moment), then, in the background, until accepted with the same Idempotency-Key, as the
 * contract asks of clients. Resolves, once `stop()` and every resend is done, with the first tries.
 */
export async function probe(
  url: string,
  batches: readonly (readonly RawEvent[])[],
  accepted: (posted: KeyedAccepted) => void,
  stop: () => boolean,
  everyMs = 100,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  const retrying: Promise<void>[] = [];
  for (const events of batches) {
    if (stop()) break;
    const key = randomUUID();
    const body = JSON.stringify(events);
    answers.push(await postOnce(url, body, key));
    retrying.push(
      postPersistently(url, events, { idempotencyKey: key }).then((outcome) => {
        if (outcome.kind !== 'accepted')
          throw new Error(`probe batch not accepted: ${outcome.kind}`);
        const { batchId, rejectedAt } = outcome;
        accepted({ events, batchId, rejected: rejectedAt, key, body, accepted: outcome.accepted });
      }),
    );
    await sleep(everyMs);
  }
  await Promise.all(retrying);
  return answers;
}

/**
 * Sends again, once each and every `everyMs`, a keyed batch that was already accepted (picked by
 * `pick`): the API answers such a repeat from the batch's job, or from its done record once the
 * job is gone. Resolves, once `stop()`, with each repeat and what it was told.
 */
export async function repeatAccepted(
  url: string,
  pick: () => KeyedAccepted | undefined,
  stop: () => boolean,
  everyMs = 100,
): Promise<{ repeated: KeyedAccepted; answer: Answer }[]> {
  const answers: { repeated: KeyedAccepted; answer: Answer }[] = [];
  while (!stop()) {
    const repeated = pick();
    if (repeated)
      answers.push({ repeated, answer: await postOnce(url, repeated.body, repeated.key) });
    await sleep(everyMs);
  }
  return answers;
}

/**
 * Posts batches `concurrency` at a time until `stop()`, each until accepted (resent on 503 and on
 * a lost connection): with a fresh Idempotency-Key each, or with none (a resent batch may then be
 * queued twice, which the views absorb).
 */
export async function postUntil(
  url: string,
  batches: readonly (readonly RawEvent[])[],
  options: {
    keyed: boolean;
    concurrency: number;
    /** The pause after each batch, per lane. */
    paceMs: number;
    stop: () => boolean;
    onAccepted: (posted: Posted) => void;
  },
): Promise<void> {
  await pMap(
    batches,
    async (events) => {
      if (options.stop()) return;
      const outcome = await postPersistently(
        url,
        events,
        options.keyed ? {} : { idempotencyKey: null },
      );
      if (outcome.kind === 'lost') throw new Error(`batch never accepted: ${outcome.reason}`);
      if (outcome.kind === 'accepted')
        options.onAccepted({ events, batchId: outcome.batchId, rejected: outcome.rejectedAt });
      await sleep(options.paceMs);
    },
    { concurrency: options.concurrency },
  );
}
