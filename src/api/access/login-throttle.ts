import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

/**
 * Failed admin logins per client address, in Redis (shared by every API process; in memory per
 * process while Redis is away). After `maxFailures` within `blockSeconds` the address is refused
 * until that window ends, right password or not; a successful login clears its count.
 */
export class LoginThrottle {
  private readonly failures: RateLimiterRedis;

  constructor(
    redis: Redis,
    private readonly options: { prefix: string; maxFailures: number; blockSeconds: number },
  ) {
    const limits = { points: options.maxFailures, duration: options.blockSeconds };
    this.failures = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${options.prefix}:login-failures`,
      ...limits,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(limits),
    });
  }

  /** Seconds the address must still wait, or 0 when it may try. */
  async blockedFor(address: string): Promise<number> {
    const res = await this.failures.get(address).catch(() => null);
    if (!res || res.consumedPoints < this.options.maxFailures) return 0;
    return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  }

  async failed(address: string): Promise<void> {
    await this.failures.consume(address).catch((err: unknown) => {
      if (!(err instanceof RateLimiterRes)) throw err;
    });
  }

  async succeeded(address: string): Promise<void> {
    await this.failures.delete(address).catch(() => undefined);
  }
}
