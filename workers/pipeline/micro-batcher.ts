/**
 * Gathers the work of concurrent jobs into shared runs. The first item opens a group; the group
 * closes when it weighs `maxWeight`, or once `lingerMs` have passed since its first item — or
 * `quietMs` since its last, whichever comes first — and a run may start. At most `maxRunning` run
 * at once, and while all are busy an open group keeps gathering, so that under load runs grow
 * instead of queueing. The quiet time is what lets a long linger cost nothing when traffic is
 * light: a lone job waits `quietMs`, a steady stream fills its group for up to `lingerMs`. Each
 * item's promise settles with its group's run.
 */
export class MicroBatcher<T, R> {
  private open: Group<T, R> | undefined;
  private readonly ready: Group<T, R>[] = [];
  private running = 0;

  constructor(
    private readonly run: (items: T[]) => Promise<R>,
    private readonly options: {
      readonly lingerMs: number;
      /** No new item for this long closes the group early (default: never, only `lingerMs`). */
      readonly quietMs?: number | undefined;
      readonly maxWeight: number;
      readonly maxRunning: number;
    },
  ) {}

  /** Resolves with the result of the run that held `item`; rejects with that run's error. */
  submit(item: T, weight: number): Promise<R> {
    let group = this.open;
    if (!group) {
      const created: Group<T, R> = { items: [], weight: 0, lingered: false, waiters: [] };
      created.timer = setTimeout(() => this.linger(created), this.options.lingerMs);
      this.open = group = created;
    }
    const { quietMs } = this.options;
    if (quietMs !== undefined && quietMs < this.options.lingerMs) {
      clearTimeout(group.quietTimer);
      const lingering = group;
      group.quietTimer = setTimeout(() => this.linger(lingering), quietMs);
    }
    const promise = new Promise<R>((resolve, reject) => group.waiters.push({ resolve, reject }));
    group.items.push(item);
    group.weight += weight;
    if (group.weight >= this.options.maxWeight) {
      this.close(group);
      this.ready.push(group);
      this.pump();
    }
    return promise;
  }

  private linger(group: Group<T, R>): void {
    group.lingered = true;
    this.pump();
  }

  private close(group: Group<T, R>): void {
    if (this.open === group) this.open = undefined;
    clearTimeout(group.timer);
    clearTimeout(group.quietTimer);
  }

  private pump(): void {
    while (this.running < this.options.maxRunning) {
      let group = this.ready.shift();
      if (!group && this.open?.lingered) {
        group = this.open;
        this.close(group);
      }
      if (!group) return;
      this.start(group);
    }
  }

  private start(group: Group<T, R>): void {
    this.running++;
    this.run(group.items)
      .then(
        (result) => group.waiters.forEach((w) => w.resolve(result)),
        (err: unknown) => group.waiters.forEach((w) => w.reject(err)),
      )
      .finally(() => {
        this.running--;
        this.pump();
      });
  }
}

interface Group<T, R> {
  items: T[];
  weight: number;
  lingered: boolean;
  timer?: NodeJS.Timeout;
  quietTimer?: NodeJS.Timeout;
  waiters: { resolve(result: R): void; reject(err: unknown): void }[];
}
