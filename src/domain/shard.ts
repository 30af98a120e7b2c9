/**
 * Shards of the start facts (docs/DATA-MODEL.md, "Shards"). A start fact lives in the partition of
 * its minute *and* its shard, so that the starts of one minute are spread over `shards`
 * partitions instead of piling into one whatever the traffic; the shard is a pure function of the
 * session id, so every copy of a start — a duplicate, a retry, a conflicting variant — lands in the
 * same partition and is counted once. The function is part of the stored data's layout: changing
 * it (or the number of shards) moves every fact, so it is fixed here and never changed in place.
 */

const UTF8 = new TextEncoder();

/** 32-bit FNV-1a of the id's UTF-8 bytes: cheap, well spread over short ids, stable forever. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of UTF8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** The shard, in [0, shards), that holds the start facts of this session. */
export function shardOf(sessionId: string, shards: number): number {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`bad shard count ${shards}`);
  return shards === 1 ? 0 : fnv1a32(sessionId) % shards;
}

/** Every shard of a layout with `shards` shards: what a count over all of them reads. */
export function allShards(shards: number): number[] {
  return Array.from({ length: shards }, (_, i) => i);
}
