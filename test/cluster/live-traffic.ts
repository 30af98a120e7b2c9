import { setTimeout as sleep } from 'node:timers/promises';
import type { RawEvent } from '../helpers/events.ts';
import { ViewModel } from '../helpers/model.ts';
import type { TestService } from '../helpers/service.ts';

const READS = ['/v1/countries/starts?hours=1', '/v1/countries/starts?hours=8760'];

/**
 * Clients at a steady pace while a test breaks the cluster underneath: one posts the batches in
 * order, one request at a time, `postIntervalMs` apart, each POST sent once (a 503 is recorded,
 * not retried); one reads both views in turn. Every answer's status is counted, so that the
 * test can say exactly what clients saw; the model holds what the API accepted.
 */
export class LiveTraffic {
  readonly model = new ViewModel();
  readonly posts = new Map<number, number>();
  readonly gets = new Map<number, number>();
  /** The first unexpected answers (anything but 202 to a POST, 200 to a GET), for the report. */
  readonly surprises: string[] = [];
  private stopped = false;
  private readonly players: string[] = [];
  private readonly loops: Promise<void>[];

  constructor(
    private readonly service: TestService,
    batches: readonly (readonly RawEvent[])[],
    options: { postIntervalMs: number; readIntervalMs: number },
  ) {
    this.loops = [
      this.postLoop(batches, options.postIntervalMs),
      this.readLoop(options.readIntervalMs),
    ];
  }

  get accepted(): number {
    return this.posts.get(202) ?? 0;
  }

  /** Stops both clients and waits for their last requests. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.loops);
  }

  private async postLoop(batches: readonly (readonly RawEvent[])[], intervalMs: number) {
    for (const events of batches) {
      if (this.stopped) return;
      const answer = await this.service.post(events).catch(failed);
      count(this.posts, answer.status);
      if (answer.status === 202) {
        const rejected = (answer.body.rejected ?? []) as { index: number; code: string }[];
        this.model.addAccepted({
          events,
          batchId: String(answer.body.batch_id),
          rejected: new Map(rejected.map((r) => [r.index, r.code])),
        });
        this.players.push(events[0]!.player_id);
      } else this.surprise(`POST ${answer.status} ${JSON.stringify(answer.body)}`);
      await sleep(intervalMs);
    }
  }

  private async readLoop(intervalMs: number) {
    for (let n = 0; !this.stopped; n++) {
      const player = this.players[n % Math.max(1, this.players.length)];
      const path =
        n % 3 === 2 && player ? `/v1/players/${player}/sessions` : READS[n % READS.length]!;
      const answer = await this.service.get(path).catch(failed);
      count(this.gets, answer.status);
      if (answer.status !== 200)
        this.surprise(`GET ${path} ${answer.status} ${JSON.stringify(answer.body)}`);
      await sleep(intervalMs);
    }
  }

  private surprise(line: string) {
    if (this.surprises.length < 20) this.surprises.push(`${new Date().toISOString()} ${line}`);
  }
}

/** A request that got no answer at all (status 0). */
function failed(err: unknown): { status: number; body: Record<string, unknown> } {
  return { status: 0, body: { error: String(err) } };
}

function count(counts: Map<number, number>, status: number) {
  counts.set(status, (counts.get(status) ?? 0) + 1);
}
