import { setTimeout as sleep } from 'node:timers/promises';
import type { RawEvent } from '../helpers/events.ts';
import { ViewModel } from '../helpers/model.ts';
import type { TestService } from '../helpers/service.ts';

/** What the clients use of a service: its POST and its GET. */
export type TrafficTarget = Pick<TestService, 'post' | 'get'>;

const READS = ['/v1/countries/starts?hours=1', '/v1/countries/starts?hours=8760'];

/** Answers by kind — `POST 202`, `GET 200`, `GET 503 storage_unavailable` — and the slowest. */
export interface Tally {
  readonly answers: Record<string, number>;
  readonly slowestMs: Record<string, number>;
}

/**
 * Clients at a steady pace while a test breaks the cluster underneath: one posts the batches in
 * order, one request at a time, `postIntervalMs` apart, each POST sent once (a 503 is counted,
 * not retried); one reads both views in turn. Every answer is tallied by status and error code,
 * so that a test can say exactly what clients saw in each phase; the model holds what the API
 * accepted.
 */
export class LiveTraffic {
  readonly model = new ViewModel();
  private tally: { answers: Map<string, number>; slowestMs: Map<string, number> } = fresh();
  private readonly total: Map<string, number> = new Map();
  private stopped = false;
  private readonly players: string[] = [];
  /** The id of every batch the API took (202), in order. */
  readonly batchIds: string[] = [];
  private readonly loops: Promise<void>[];

  constructor(
    private readonly service: TrafficTarget,
    batches: readonly (readonly RawEvent[])[],
    options: { postIntervalMs: number; readIntervalMs: number },
  ) {
    this.loops = [
      this.postLoop(batches, options.postIntervalMs),
      this.readLoop(options.readIntervalMs),
    ];
  }

  /** What clients saw since the last call (or the start), and a fresh tally from now on. */
  phase(): Tally {
    const { answers, slowestMs } = this.tally;
    this.tally = fresh();
    return { answers: Object.fromEntries(answers), slowestMs: Object.fromEntries(slowestMs) };
  }

  /** Every answer since the start, by kind. */
  get answers(): Record<string, number> {
    return Object.fromEntries(this.total);
  }

  /** Stops both clients and waits for their last requests. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async postLoop(batches: readonly (readonly RawEvent[])[], intervalMs: number) {
    for (const events of batches) {
      if (this.stopped) return;
      const started = Date.now();
      const answer = await this.service.post(events).catch(failed);
      this.count('POST', answer, Date.now() - started);
      if (answer.status === 202) {
        const rejected = (answer.body.rejected ?? []) as { index: number; code: string }[];
        this.model.addAccepted({
          events,
          batchId: String(answer.body.batch_id),
          rejected: new Map(rejected.map((r) => [r.index, r.code])),
        });
        this.players.push(events[0]!.player_id);
        this.batchIds.push(String(answer.body.batch_id));
      }
      await sleep(intervalMs);
    }
  }

  private async readLoop(intervalMs: number) {
    for (let n = 0; !this.stopped; n++) {
      const player = this.players[n % Math.max(1, this.players.length)];
      const path =
        n % 3 === 2 && player ? `/v1/players/${player}/sessions` : READS[n % READS.length]!;
      const started = Date.now();
      const answer = await this.service.get(path).catch(failed);
      this.count('GET', answer, Date.now() - started);
      await sleep(intervalMs);
    }
  }

  private count(method: string, answer: { status: number; body: unknown }, ms: number) {
    const code = (answer.body as { error?: { code?: string } } | undefined)?.error?.code;
    const label = `${method} ${answer.status}${code ? ` ${code}` : ''}`;
    for (const counts of [this.tally.answers, this.total])
      counts.set(label, (counts.get(label) ?? 0) + 1);
    this.tally.slowestMs.set(label, Math.max(ms, this.tally.slowestMs.get(label) ?? 0));
  }
}

function fresh() {
  return { answers: new Map<string, number>(), slowestMs: new Map<string, number>() };
}

/** A request that got no answer at all (status 0). */
function failed(err: unknown): { status: number; body: Record<string, unknown> } {
  return { status: 0, body: { error: { code: String(err) } } };
}

/** The kinds of answer in a tally, sorted: what a test compares against what clients must see. */
export function kinds(tally: { answers: Record<string, number> }): string[] {
  return Object.keys(tally.answers).sort();
}
