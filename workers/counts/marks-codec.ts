import type { DirtySeconds } from './dirty-seconds.ts';

/**
 * A mark is one changed (second, country) of a shard, as the member of its sorted set:
 * `<second in epoch ms>|<country>`. Pure, so that what goes into Redis and what comes back out
 * are held to each other by a unit test.
 */
export function encodeMarks(seconds: DirtySeconds): string[] {
  const members: string[] = [];
  for (const [second, countries] of seconds) {
    for (const country of countries) members.push(`${second}|${country}`);
  }
  return members;
}

/** The seconds and countries the marks name; a member that is not a mark is ignored. */
export function decodeMarks(members: readonly string[]): DirtySeconds {
  const seconds: DirtySeconds = new Map();
  for (const member of members) {
    const match = /^(-?\d+)\|([A-Z]{2})$/.exec(member);
    if (!match?.[1] || !match[2]) continue;
    const second = Number(match[1]);
    const countries = seconds.get(second);
    if (countries) countries.add(match[2]);
    else seconds.set(second, new Set([match[2]]));
  }
  return seconds;
}
