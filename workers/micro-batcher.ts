/**
 * Gathers the work of concurrent jobs into shared runs: the first item opens a group, which runs
 * `lingerMs` later — or at once when it weighs `maxWeight` — with every item submitted meanwhile.
 * Each item's promise settles with its group's run. Groups run concurrently; the batcher only
 * decides who goes together.
 */
export class MicroBatcher<T> {
  private open: { items: T[]; weight: number; timer: NodeJS.Timeout; settle: Settle } | undefined;

  constructor(
    private readonly run: (items: T[]) => Promise<void>,
    private readonly options: { readonly lingerMs: number; readonly maxWeight: number },
  ) {}

  /** Resolves when a run holding `item` has succeeded; rejects with that run's error. */
  submit(item: T, weight: number): Promise<void> {
    const promise = new Promise<void>((resolve, reject) => {
      if (!this.open) {
        const timer = setTimeout(() => this.flush(), this.options.lingerMs);
        this.open = { items: [], weight: 0, timer, settle: { waiters: [] } };
      }
      this.open.items.push(item);
      this.open.weight += weight;
      this.open.settle.waiters.push({ resolve, reject });
    });
    if (this.open && this.open.weight >= this.options.maxWeight) this.flush();
    return promise;
  }

  private flush(): void {
    const group = this.open;
    if (!group) return;
    this.open = undefined;
    clearTimeout(group.timer);
    this.run(group.items).then(
      () => group.settle.waiters.forEach((w) => w.resolve()),
      (err: unknown) => group.settle.waiters.forEach((w) => w.reject(err)),
    );
  }
}

interface Settle {
  waiters: { resolve(): void; reject(err: unknown): void }[];
}
