import { parseKey, secretMatches, type ApiKeyRecord } from './api-key.ts';

export interface KeyStore {
  find(id: string): Promise<ApiKeyRecord | undefined>;
}

/** Far more keys than any deployment has; bounds what made-up ids can make the cache hold. */
const MAX_CACHED = 10_000;

/**
 * Resolves presented keys to their records, caching each lookup (found or not) for `cacheMs` so
 * that authentication costs no Cassandra round trip per request. The price: a revoked key keeps
 * working, and a new one may be refused, for up to `cacheMs` in each API process.
 */
export class KeyLookup {
  private readonly cache = new Map<
    string,
    { until: number; record: Promise<ApiKeyRecord | undefined> }
  >();

  constructor(
    private readonly store: KeyStore,
    private readonly options: { cacheMs: number; now: () => number },
  ) {}

  /** Whether the key's record would come from the cache (no store round trip). */
  isCached(key: string): boolean {
    const id = parseKey(key)?.id;
    if (id === undefined) return true; // malformed keys are refused without a lookup
    const entry = this.cache.get(id);
    return entry !== undefined && entry.until > this.options.now();
  }

  /** The key's record when the key is well formed, known, not revoked and its secret right. */
  async authenticate(key: string): Promise<ApiKeyRecord | undefined> {
    const parsed = parseKey(key);
    if (!parsed) return undefined;
    const record = await this.recordOf(parsed.id);
    return record && secretMatches(record, parsed.secret) ? record : undefined;
  }

  private recordOf(id: string): Promise<ApiKeyRecord | undefined> {
    const now = this.options.now();
    const entry = this.cache.get(id);
    if (entry && entry.until > now) return entry.record;
    if (this.cache.size >= MAX_CACHED) this.evictExpired(now);
    // Concurrent requests with one key share one lookup; a failed lookup is not remembered.
    const record = this.store.find(id);
    this.cache.set(id, { until: now + this.options.cacheMs, record });
    record.catch(() => this.cache.delete(id));
    return record;
  }

  private evictExpired(now: number): void {
    for (const [id, entry] of this.cache) if (entry.until <= now) this.cache.delete(id);
    // Still full of live entries (a flood of made-up ids): start over rather than grow.
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
  }
}
