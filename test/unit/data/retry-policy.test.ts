import { expect } from 'chai';
import {
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  retryDelayMs,
  type RetryPolicy,
} from '../../../ops/data/retry-policy.ts';

const POLICY: RetryPolicy = {
  retries: 8,
  baseDelayMs: 100,
  maxDelayMs: 2000,
  maxRetryAfterMs: 30_000,
};

describe('the loader retry policy', () => {
  it('doubles the delay with each retry, up to the maximum', () => {
    const nominal = [1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(retry, POLICY, 0.999_999));
    expect(nominal).to.deep.equal([100, 200, 400, 800, 1600, 2000]);
  });

  it('jitters within the upper half of each delay, so that batches do not retry in lockstep', () => {
    expect(retryDelayMs(3, POLICY, 0)).to.equal(200);
    expect(retryDelayMs(3, POLICY, 0.5)).to.equal(300);
    expect(retryDelayMs(3, POLICY, 0.999)).to.be.within(399, 400);
  });

  it('waits at least as long as Retry-After says, even when the backoff is shorter', () => {
    expect(retryDelayMs(1, POLICY, 0, 1000)).to.equal(1000);
    expect(retryDelayMs(6, POLICY, 0.999_999, 1000)).to.equal(2000);
  });

  it('cuts an absurd Retry-After to its limit', () => {
    expect(retryDelayMs(1, POLICY, 0, 3_600_000)).to.equal(30_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('1', now)).to.equal(1000);
    expect(parseRetryAfter(' 120 ', now)).to.equal(120_000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:05 GMT', now)).to.equal(5000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter(null, now)).to.equal(undefined);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter('-1', now)).to.equal(undefined);
  });

  it('by default gives a dead service about half a minute per batch before counting it lost', () => {
    let total = 0;
    for (let retry = 1; retry <= DEFAULT_RETRY_POLICY.retries; retry++) {
      total += retryDelayMs(retry, DEFAULT_RETRY_POLICY, 0.5);
    }
    expect(total).to.be.within(20_000, 45_000);
  });
});
