import type { Logger } from 'pino';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { SchemaStatus } from '../../src/storage/migrator.ts';

export interface SchemaGuardDeps {
  readonly status: () => Promise<SchemaStatus>;
  /** Stops taking jobs; the ones held are left to end by themselves. */
  readonly pause: () => Promise<void>;
  /** Takes jobs (again). */
  readonly resume: () => Promise<void>;
  readonly logger: Logger;
  readonly registry: Registry;
  /** How often the schema is checked while it is missing. */
  readonly recheckMs: number;
}

/**
 * A worker whose keyspace or tables are missing must not spend its jobs' attempts against a store
 * that refuses every one of them, nor mark anything done. It stops taking jobs and says why — an
 * error log line, `worker_schema_missing_total`, `worker_schema_ready` 0, on which an alert can
 * fire — and checks the schema every `recheckMs`; once it is back (`npm run migrate`, or a
 * restore), the worker takes jobs again by itself. The jobs it held go back to the queue without
 * spending an attempt (see compose-worker.ts).
 */
export class SchemaGuard {
  private readonly ready: Gauge;
  private readonly missingJobs: Counter;
  private watching = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<SchemaStatus> | undefined;

  constructor(private readonly deps: SchemaGuardDeps) {
    this.ready = new Gauge({
      name: 'worker_schema_ready',
      help: 'Workers whose keyspace and tables are in place (0: a worker stopped taking jobs because its schema is missing)',
      registers: [deps.registry],
    });
    this.missingJobs = new Counter({
      name: 'worker_schema_missing_total',
      help: 'Batch jobs that met a missing keyspace or table and went back to the queue',
      registers: [deps.registry],
    });
  }

  /** Takes jobs once the schema is in place: now, or as soon as it is. */
  async start(): Promise<void> {
    const status = await this.status();
    if (status.ok) {
      this.ready.set(1);
      await this.deps.resume();
      return;
    }
    this.deps.logger.error(
      { reason: status.reason },
      'the schema is not in place; this worker takes no jobs until it is (npm run migrate)',
    );
    this.watch();
  }

  /**
   * A job failed in a way a missing schema explains. Resolves to true when Cassandra confirms the
   * schema is missing (this worker then stops taking jobs until it is back); false when it is in
   * place or Cassandra does not answer — an ordinary failure, retried as such.
   */
  async confirmMissing(err: unknown, batchId: string | undefined): Promise<boolean> {
    if (this.watching) {
      this.missingJobs.inc();
      return true;
    }
    const status = await this.status();
    if (status.ok || status.cause === 'unreachable') return false;
    this.missingJobs.inc();
    // Another job's confirmation may have started watching while this one awaited the status.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    if (this.watching) return true;
    this.deps.logger.error(
      { batch_id: batchId, reason: status.reason, err: String(err) },
      'the schema is missing; this worker takes no jobs until it is back (npm run migrate)',
    );
    this.watch();
    await this.deps.pause();
    return true;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private watch(): void {
    this.watching = true;
    this.ready.set(0);
    const tick = async () => {
      if (this.stopped) return;
      const status = await this.status();
      // stop() may have been called while the status was awaited.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      if (this.stopped) return;
      if (!status.ok) {
        this.timer = setTimeout(() => void tick(), this.deps.recheckMs);
        return;
      }
      this.watching = false;
      this.ready.set(1);
      this.deps.logger.info('the schema is in place again; taking jobs');
      await this.deps.resume();
    };
    this.timer = setTimeout(() => void tick(), this.deps.recheckMs);
  }

  // Concurrent jobs failing at once share one look at the schema.
  private status(): Promise<SchemaStatus> {
    this.inFlight ??= this.deps.status().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }
}
