/**
 * Retention (docs/CONTRACT.md §4): a row disappears `retention` after the oldest event time it holds.
 * TTLs are whole seconds rounded down, so a row never outlives the retention; a row whose TTL
 * would be zero or less is already out of retention and is not written at all.
 */
export function ttlSeconds(oldestEventMs: number, nowMs: number, retentionMs: number): number {
  return Math.floor((oldestEventMs + retentionMs - nowMs) / 1000);
}

export function isRetained(oldestEventMs: number, nowMs: number, retentionMs: number): boolean {
  return ttlSeconds(oldestEventMs, nowMs, retentionMs) > 0;
}
