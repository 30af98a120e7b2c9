import type { Redis } from 'ioredis';
import type { Context } from 'koa';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../errors.ts';

/** Who a request counts against: an API key, or (without one) the client's address. */
export type Bucket = { readonly kind: 'key' | 'address'; readonly id: string };

const WINDOW_SECONDS = 1;

/**
 * Requests per second per key and per client address, counted in Redis so that every API process
 * shares one budget. While Redis is away each process counts in memory instead (the insurance
 * limiter): the limits then hold per process, which is the best that can be done, and the ingest
 * routes answer 503 anyway without the queue. Every counted response carries the IETF draft's
 * RateLimit-Limit / -Remaining / -Reset fields (draft-ietf-httpapi-ratelimit-headers-07) and
 * RateLimit-Policy; a refusal is 429 `rate_limited` with Retry-After.
 */
export class RateLimits {
  private readonly limiters: Record<Bucket['kind'], { limiter: RateLimiterRedis; points: number }>;

  constructor(
    redis: Redis,
    options: { prefix: string; perKeyPerSecond: number; perAddressPerSecond: number },
  ) {
    const make = (kind: Bucket['kind'], points: number) => ({
      points,
      limiter: new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${options.prefix}:ratelimit:${kind}`,
        points,
        duration: WINDOW_SECONDS,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory({ points, duration: WINDOW_SECONDS }),
      }),
    });
    this.limiters = {
      key: make('key', options.perKeyPerSecond),
      address: make('address', options.perAddressPerSecond),
    };
  }

  /** Throws 429 when the bucket is already over its limit, without counting this request. */
  async refuseIfOver(bucket: Bucket): Promise<void> {
    const { limiter, points } = this.limiters[bucket.kind];
    const res = await limiter.get(bucket.id).catch(() => null);
    if (res && res.consumedPoints > points) throw this.refusal(bucket, res, points);
  }

  /** Counts one request of the bucket; sets the RateLimit fields; throws 429 over the limit. */
  async consume(ctx: Context, bucket: Bucket): Promise<void> {
    const { limiter, points } = this.limiters[bucket.kind];
    let res: RateLimiterRes;
    let refused = false;
    try {
      res = await limiter.consume(bucket.id);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      res = err;
      refused = true;
    }
    if (refused) throw this.refusal(bucket, res, points);
    ctx.set(this.fields(res, points));
  }

  private fields(res: RateLimiterRes, points: number): Record<string, string> {
    const reset = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    return {
      'RateLimit-Limit': String(points),
      'RateLimit-Remaining': String(Math.max(0, res.remainingPoints)),
      'RateLimit-Reset': String(reset),
      'RateLimit-Policy': `${points};w=${WINDOW_SECONDS}`,
    };
  }

  private refusal(bucket: Bucket, res: RateLimiterRes, points: number): TooManyRequestsError {
    const per = bucket.kind === 'key' ? 'API key' : 'client address';
    const fields: Record<string, string> = {
      ...this.fields(res, points),
      'RateLimit-Remaining': '0',
    };
    return new TooManyRequestsError(
      `more than ${points} requests per second for this ${per}; retry after Retry-After seconds`,
      Number(fields['RateLimit-Reset'] ?? 1),
      fields,
    );
  }
}
