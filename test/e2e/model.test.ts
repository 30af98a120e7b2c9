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
const rerun = () => console.error(`\n  model test seed: ${SEED} (rerun with --seed=${SEED})\n`);

/**
 * Model-based end to end: a seeded generator makes thousands of events full of awkward cases; they
 * go through HTTP in batches of 10, in random order, some batches twice and some with an
 * Idempotency-Key, to an API and two workers; once every batch is done, both views must equal what
 * this test computes from the accepted events alone — for many windows and for every player. The
 * ingest runs once, before the cases, which only read what it left: each case runs alone too. It
 * runs on one queue, and again on two queues on two Redis instances with 4 shards.
 */
function modelSuite(title: string, layout: QueueSetup) {
  describe(title, function () {
    this.timeout(300_000);
    let service: TestService;
    let started: StartedSetup | undefined;
    const model = new ViewModel();
    let generated = 0;
    /** Each answer that differed from what the generator said the event must get. */
    const mismatches: string[] = [];

    before(async () => {
      try {
        started = await layout.start(testConfig().redis.url);
        service = await TestService.start({ workers: 2, overrides: { ...started.env } });
        await ingest();
      } catch (err) {
        rerun();
        throw err;
      }
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
      if (this.currentTest?.state === 'failed') rerun();
    });

    async function ingest(): Promise<void> {
      const random = new Random(SEED);
      const events = random.shuffle(awkwardEvents(random, Date.now(), 1800));
      generated = events.length;
      const batches: { events: RawEvent[]; musts: (string | undefined)[] }[] = [];
      for (let i = 0; i < events.length; i += 10) {
        const slice = events.slice(i, i + 10);
        batches.push({ events: slice.map((g) => g.event), musts: slice.map((g) => g.mustReject) });
      }
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
            if (!musts.every((m) => m !== undefined))
              mismatches.push(`batch ${n} refused: ${JSON.stringify([...outcome.rejected])}`);
            return;
          }
          if (outcome.kind !== 'accepted') {
            mismatches.push(`batch ${n}: ${JSON.stringify(outcome)}`);
            return;
          }
          events.forEach((event, i) => {
            const rejected = outcome.rejectedAt.get(i);
            if (rejected !== musts[i])
              mismatches.push(`${JSON.stringify(event)}: ${rejected} instead of ${musts[i]}`);
            if (rejected === undefined) model.add(event);
          });
        },
        { concurrency: 8 },
      );
      await service.drained(180_000);
    }

    it(`accepts exactly the valid ones of several thousand awkward events (seed ${SEED})`, () => {
      expect(generated).to.be.greaterThan(3000);
      expect(mismatches).to.deep.equal([]);
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
