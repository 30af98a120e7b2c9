import type Koa from 'koa';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { INVALID_IDEMPOTENCY_KEY, idempotencyKey, obeys } from '../../domain/rules.ts';
import { REJECTION_CODES, type TimeRules } from '../../domain/event-validation.ts';
import { QueueFullError, REFUSAL_REASONS, type RefusalReason } from '../ingest/backpressure.ts';
import { batchIdFor, type BatchProducer, type EnqueuedBatch } from '../ingest/batch-producer.ts';
import type { Guard, Principal } from '../access/access.ts';
import type { RouteModule } from '../app.ts';
import { createIntake } from '../batches/intake.ts';
import { createBatchBodyReader } from '../batches/read-batch-body.ts';
import { BadRequestError, NotFoundError } from '../errors.ts';
import { PATHS, routed } from '../paths.ts';

/** How large one request to an ingest route may be. */
export interface IngestLimits {
  readonly maxBodyBytes: number;
  readonly maxEvents: number;
}

export interface BatchRouteDeps {
  readonly producer: Pick<BatchProducer, 'enqueue' | 'repeatOf' | 'status'>;
  /** Why the batch's queue cannot take it now (src/api/ingest/backpressure.ts), or undefined. */
  readonly refusal: (batchId: string) => Promise<RefusalReason | undefined>;
  /** POST /v1/batches: the contract's client batches. */
  readonly batch: IngestLimits;
  /** POST /v1/batches/bulk: whole data sets, in large batches (docs/DECISIONS.md). */
  readonly bulk: IngestLimits;
  readonly rules: TimeRules;
  readonly now: () => number;
  readonly registry: Registry;
  readonly logger: Logger;
  /** ingest for the client routes, admin for the bulk import. */
  readonly guard: Guard;
}

/**
 * POST /v1/batches (ingest one batch), POST /v1/batches/bulk (the same, in batches of thousands)
 * and GET /v1/batches/{batch_id} (where a batch is). Both posts run one handler, differing only
 * in their limits: the same body forms, rules, answers and one job per request.
 */
export function batchRoutes(deps: BatchRouteDeps): RouteModule {
  const acceptedEvents = new Counter({
    name: 'events_accepted_total',
    help: 'Events accepted into the queue',
    registers: [deps.registry],
  });
  const rejectedEvents = new Counter({
    name: 'events_rejected_total',
    help: 'Events rejected at ingest, by code',
    labelNames: ['code'] as const,
    registers: [deps.registry],
  });
  const refusedBatches = new Counter({
    name: 'batches_refused_total',
    help: 'Batches refused with 503 queue_full, by reason (backlog, memory)',
    labelNames: ['reason'] as const,
    registers: [deps.registry],
  });
  // Every known label set starts at 0, so a healthy service's panels and rates show 0, not "No data".
  for (const code of REJECTION_CODES) rejectedEvents.inc({ code }, 0);
  for (const reason of REFUSAL_REASONS) refusedBatches.inc({ reason }, 0);

  /**
   * A full queue refuses new batches, but a repeat of an accepted one adds nothing: it gets its
   * first answer, as it would at any other time.
   */
  async function repeatOrRefuse(
    reason: RefusalReason,
    batchId: string,
    keyed: boolean,
    body: Buffer,
  ): Promise<EnqueuedBatch> {
    const repeat = keyed ? await deps.producer.repeatOf({ batchId, body }) : undefined;
    if (repeat) return repeat;
    refusedBatches.inc({ reason });
    throw new QueueFullError(reason);
  }

  function ingest(limits: IngestLimits): Koa.Middleware {
    const intake = createIntake({ maxEvents: limits.maxEvents, rules: deps.rules });
    const readBody = createBatchBodyReader(limits.maxBodyBytes);
    return async (ctx) => {
      const key = ctx.get('Idempotency-Key') || undefined;
      // Idempotency keys are the caller's own: two API keys never share a batch by their key.
      const scope = (ctx.state.principal as Principal | undefined)?.id;
      if (key !== undefined && !obeys(idempotencyKey, key))
        throw new BadRequestError('invalid_idempotency_key', INVALID_IDEMPOTENCY_KEY);
      const { items, raw } = await readBody(ctx);
      const now = deps.now();
      let sorted;
      try {
        sorted = intake(items, now);
      } catch (err) {
        if (err instanceof BadRequestError && err.code === 'no_valid_events') {
          for (const r of err.details as { code: string }[]) rejectedEvents.inc({ code: r.code });
        }
        throw err;
      }
      // The id decides the batch's queue, whose load decides whether it is taken.
      const batchId = batchIdFor(key, scope);
      const keyed = key !== undefined;
      const refusal = await deps.refusal(batchId);
      const batch = refusal
        ? await repeatOrRefuse(refusal, batchId, keyed, raw)
        : await deps.producer.enqueue({
            batchId,
            keyed,
            events: sorted.accepted,
            rejected: sorted.rejected,
            body: raw,
            acceptedAt: now,
          });
      deps.logger.info(
        { batch_id: batch.batchId, accepted: batch.accepted, rejected: batch.rejected.length },
        'batch accepted',
      );
      acceptedEvents.inc(sorted.accepted.length);
      for (const r of sorted.rejected) rejectedEvents.inc({ code: r.code });
      ctx.status = 202;
      ctx.body = { batch_id: batch.batchId, accepted: batch.accepted, rejected: batch.rejected };
    };
  }

  return (router) => {
    router.post(PATHS.batches, deps.guard('ingest'), ingest(deps.batch));
    router.post(PATHS.bulk, deps.guard('admin'), ingest(deps.bulk));

    router.get(routed(PATHS.batch), deps.guard('ingest'), async (ctx) => {
      const batchId = ctx.params.batch_id ?? '';
      const status = await deps.producer.status(batchId);
      if (!status) throw new NotFoundError('batch_not_found', `no batch ${batchId} is known`);
      ctx.body = { batch_id: batchId, state: status.state, accepted: status.accepted };
    });
  };
}
