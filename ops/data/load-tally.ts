import type { BatchOutcome } from './poster.ts';

/** The running totals of a load: what the progress bar shows and the summary reports. */
export class LoadTally {
  /** Non-blank lines read from the file. */
  read = 0;
  accepted = 0;
  /** Rejected events by code: the service's codes, and `invalid_json` for lines the loader could not decode. */
  readonly rejected = new Map<string, number>();
  /** Events not delivered: their batch failed after its retries, or was never sent after giving up. */
  lost = 0;
  batches = 0;
  lostBatches = 0;
  /** Batches not sent because the loader gave up on an unreachable service. */
  unsentBatches = 0;
  /** Counted as they happen (by the loader), not per batch, so that the progress bar shows them live. */
  retries = 0;
  /** Why batches were lost, with how many. */
  readonly lostReasons = new Map<string, number>();
  /** The ids of accepted batches, when the caller wants to follow them. */
  readonly batchIds: string[] = [];

  constructor(private readonly keepBatchIds = false) {}

  get rejectedTotal(): number {
    return [...this.rejected.values()].reduce((a, b) => a + b, 0);
  }

  /** Events the service has answered for, or that are known lost. */
  get settled(): number {
    return this.accepted + this.rejectedTotal + this.lost;
  }

  rejectLocally(code: string): void {
    add(this.rejected, code, 1);
  }

  record(outcome: BatchOutcome, events: number): void {
    this.batches += 1;
    if (outcome.kind === 'lost') {
      this.lost += events;
      this.lostBatches += 1;
      add(this.lostReasons, outcome.reason, 1);
      return;
    }
    if (outcome.kind === 'accepted') {
      this.accepted += outcome.accepted;
      if (this.keepBatchIds) this.batchIds.push(outcome.batchId);
    }
    for (const [code, n] of outcome.rejected) add(this.rejected, code, n);
  }

  recordUnsent(events: number): void {
    this.batches += 1;
    this.unsentBatches += 1;
    this.lost += events;
  }
}

function add(map: Map<string, number>, key: string, n: number): void {
  map.set(key, (map.get(key) ?? 0) + n);
}
