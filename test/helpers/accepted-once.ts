import { expect } from 'chai';
import type { ViewModel } from './model.ts';
import { expectViewsMatch, getter } from './compare-views.ts';
import type { TestService } from './service.ts';

/**
 * The end of a fault under live traffic: once the queue drains, no job failed, every batch that
 * was answered 202 completed exactly once, and both views equal the model of the accepted events.
 */
export async function expectEveryAcceptedOnce(
  svc: TestService,
  live: { readonly batchIds: Iterable<string>; readonly model: ViewModel },
  drainTimeoutMs: number,
): Promise<void> {
  await svc.drained(drainTimeoutMs);
  expect(await svc.queue.getFailedCount(), 'failed jobs').to.equal(0);
  for (const id of live.batchIds) expect(svc.completions.count(id), id).to.equal(1);
  await expectViewsMatch(
    getter(() => svc.api.url),
    live.model,
    20,
  );
}
