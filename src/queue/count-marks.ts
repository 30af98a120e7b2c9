import type { Redis } from 'ioredis';

/**
 * The seconds a shard's rollup must recount, as marks in Redis (one sorted set per shard). A
 * worker that wrote start facts adds a mark per changed (second, country) and gets a number; a
 * rollup takes every mark present together with the highest number given so far, counts, then
 * clears the marks it took — except those marked again meanwhile, whose number has grown. So
 * "a rollup took through n" means every mark numbered up to n was present when it took them, and
 * the facts behind those marks, written before they were marked, were there when it read.
 */

// Numbers come from one counter per shard, and every member's score becomes the latest number it
// was marked with.
const ADD = `
local n = redis.call('INCR', KEYS[2])
for i = 1, #ARGV, 500 do
  local args = {}
  for j = i, math.min(i + 499, #ARGV) do
    args[#args + 1] = n
    args[#args + 1] = ARGV[j]
  end
  redis.call('ZADD', KEYS[1], unpack(args))
end
return n
`;

const TAKE = `
local through = tonumber(redis.call('GET', KEYS[2]) or '0')
return {through, redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', through)}
`;

export interface TakenMarks {
  readonly through: number;
  readonly members: readonly string[];
}

export class CountMarks {
  constructor(
    private readonly redis: Pick<Redis, 'eval' | 'zremrangebyscore'>,
    /** Key prefix of the rollups' queue, e.g. `pss:events-counts`. */
    private readonly keyPrefix: string,
  ) {}

  /** Marks members of a shard; resolves to the number a rollup must take through to cover them. */
  async add(shard: number, members: readonly string[]): Promise<number> {
    const n = await this.redis.eval(
      ADD,
      2,
      this.marksKey(shard),
      this.counterKey(shard),
      ...members,
    );
    return Number(n);
  }

  /** Every mark of the shard, and the highest number given so far. */
  async take(shard: number): Promise<TakenMarks> {
    const [through, members] = (await this.redis.eval(
      TAKE,
      2,
      this.marksKey(shard),
      this.counterKey(shard),
    )) as [number, string[]];
    return { through, members };
  }

  /** Removes the marks taken through `through`; members marked again since stay. */
  async clear(shard: number, through: number): Promise<void> {
    await this.redis.zremrangebyscore(this.marksKey(shard), '-inf', through);
  }

  private marksKey(shard: number): string {
    return `${this.keyPrefix}:marks:${shard}`;
  }

  private counterKey(shard: number): string {
    return `${this.keyPrefix}:marked:${shard}`;
  }
}
