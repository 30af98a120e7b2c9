import fs from 'node:fs';
import { expect } from 'chai';
import { Backoffs } from 'bullmq';
import { loadConfig } from '../../../src/config/env.ts';
import { BACKOFF_JITTER } from '../../../src/queue/events-queue.ts';
import { MINUTE_MS } from '../../../src/domain/duration.ts';

/**
 * How long a batch job that keeps meeting an outage waits in its retries before it is kept as
 * failed, with the default settings: BullMQ's own exponential backoff, each wait jittered, summed
 * over the retries. README states the span; this holds it to the code.
 */
function totalWaitMs(attempts: number, delayMs: number, random: number): number {
  const wait = Backoffs.builtinStrategies.exponential!(delayMs, BACKOFF_JITTER);
  const realRandom = Math.random;
  Math.random = () => random;
  try {
    let total = 0;
    for (let attemptsMade = 1; attemptsMade < attempts; attemptsMade++)
      total += wait(attemptsMade) as number;
    return total;
  } finally {
    Math.random = realRandom;
  }
}

describe('the retries of a batch job that meets an outage, with the default settings', () => {
  const { jobAttempts, backoffMs } = loadConfig({}).queue;
  const shortest = totalWaitMs(jobAttempts, backoffMs, 0);
  const longest = totalWaitMs(jobAttempts, backoffMs, 1 - Number.EPSILON);

  it('wait between 17 and 34 minutes in all, 26 on average', () => {
    expect(jobAttempts).to.equal(12);
    expect(Math.floor(shortest / MINUTE_MS)).to.equal(17);
    expect(Math.floor(longest / MINUTE_MS)).to.equal(34);
    expect(Math.round((shortest + longest) / 2 / MINUTE_MS)).to.equal(26);
  });

  it('are described by README with that span', () => {
    const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const span = `${Math.floor(shortest / MINUTE_MS)}–${Math.floor(longest / MINUTE_MS)} min`;
    expect(readme.replace(/\s+/g, ' ')).to.include(
      `${jobAttempts - 1} waits of at most 1, 2, 4, … ${((2 ** (jobAttempts - 2) * backoffMs) / 1000).toLocaleString('en')} s, ${span} in all`,
    );
    expect(readme).to.include(`(\`JOB_ATTEMPTS\`, default ${span})`);
  });
});
