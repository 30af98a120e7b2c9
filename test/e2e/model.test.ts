import { expect } from 'chai';
import pMap from 'p-map';
import { Random } from '../../ops/data/random.ts';
import { awkwardEvents } from '../helpers/awkward-events.ts';
import type { RawEvent } from '../helpers/events.ts';
import { expectSessionsMatch, expectStartsMatch } from '../helpers/compare-views.ts';
import { postPersistently } from '../helpers/client.ts';
import { ViewModel } from '../helpers/model.ts';
import { testConfig } from '../helpers/env.ts';
import {
  ONE_QUEUE,
  TWO_QUEUES_FOUR_SHARDS,
  type QueueSetup,
  type StartedSetup,
} from '../helpers/queue-setups.ts';
import { TestService } from '../helpers/service.ts';

const SEED = Number(
  process.argv.find((a) => a.startsWith('--seed='))?.slice(7) ?? Date.now() % 1_000_000,
);

/**
 * Model-based end to end: a seeded generator makes thousands of events full of awkward cases; they
 * go through HTTP in batches of 10, in random order, some batches twice and some with an
 * Idempotency-Key, to an API and two workers; once every batch is done, both views must equal what
 * this test computes from the accepted events alone — for many windows and for every player. It
 * runs on one queue, and again on two queues on two Redis instances with 4 shards.
 */
function modelSuite(title: string, layout: QueueSetup) {
  describe(title, function () {
    this.timeout(300_000);
    let service: TestService;
    let started: StartedSetup | undefined;
    const model = new ViewModel();

    before(async () => {
      started = await layout.start(testConfig().redis.url);
      service = await TestService.start({ workers: 2, overrides: { ...started.env } });
    });
    after(async () => {
      try {
        // Undefined when the service did not start; its Redis servers are stopped all the same.
        await (service as TestService | undefined)?.close();
      } finally {
        await started?.stop();
      }
    });
    afterEach(function () {
      if (this.currentTest?.state === 'failed')
        console.error(`\n  model test seed: ${SEED} (rerun with --seed=${SEED})\n`);
    });

    it(`ingests several thousand awkward events (seed ${SEED}) and accepts exactly the valid ones`, async () => {
      const random = new Random(SEED);
      const generated = random.shuffle(awkwardEvents(random, Date.now(), 1800));
      const batches: { events: RawEvent[]; musts: (string | undefined)[] }[] = [];
      for (let i = 0; i < generated.length; i += 10) {
        const slice = generated.slice(i, i + 10);
        batches.push({ events: slice.map((g) => g.event), musts: slice.map((g) => g.mustReject) });
      }
      expect(generated.length).to.be.greaterThan(3000);

      await pMap(
        batches,
        async ({ events, musts }, n) => {
          // Some batches carry an Idempotency-Key, the others none, so that a repeat below is
          // either answered from the first request or queued again (and must not count twice).
          const idempotencyKey = n % 7 === 0 ? `seed-${SEED}-batch-${n}` : null;
          let outcome = await postPersistently(service.api.url, events, { idempotencyKey });
          // A client retry after a lost answer: the same batch again.
          if (n % 5 === 0)
            outcome = await postPersistently(service.api.url, events, { idempotencyKey });
          if (outcome.kind === 'refused') {
            expect(
              musts.every((m) => m !== undefined),
              JSON.stringify([...outcome.rejected]),
            ).to.be.true;
            return;
          }
          expect(outcome.kind, JSON.stringify(outcome)).to.equal('accepted');
          const rejected =
            outcome.kind === 'accepted' ? outcome.rejectedAt : new Map<number, string>();
          events.forEach((event, i) => {
            expect(rejected.get(i), JSON.stringify(event)).to.equal(musts[i]);
            if (!rejected.has(i)) {
              model.add(event);
            }
          });
        },
        { concurrency: 8 },
      );
      await service.drained(180_000);
      // Every queue took its share (two queues: about half each).
      expect(
        service.completions.perQueue().every((n) => n > 0),
        'batches on every queue',
      ).to.be.true;
    });

    it('answers every window with exactly the starts the model counts', async () => {
      await expectStartsMatch((path) => service.get(path), model);
    });

    it('answers every player with exactly the completed sessions the model pairs', async () => {
      expect(await expectSessionsMatch((path) => service.get(path), model)).to.be.greaterThan(100);
    });
  });
}

modelSuite('end to end against a model of the views', ONE_QUEUE);
modelSuite(
  'end to end against a model of the views, over two queues on two Redis instances and 4 shards',
  TWO_QUEUES_FOUR_SHARDS,
);
