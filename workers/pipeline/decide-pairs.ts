import type { SessionEvent } from '../../src/domain/events.ts';
import { decide, type Decision, type Variant } from '../../src/domain/pairing.ts';

/** One session's decision, and whether the events at hand hold a start of it. */
export interface SessionDecision {
  readonly sessionId: string;
  readonly decision: Decision;
  /** Only a micro-batch holding a start of the session writes its start facts: an end changes none. */
  readonly holdsStart: boolean;
}

/**
 * Step "decide pairs" (pure): the pairing rule (src/domain/pairing.ts) applied to the view of
 * every session the events touch.
 */
export function decidePairs(
  events: readonly SessionEvent[],
  views: ReadonlyMap<string, readonly Variant[]>,
): SessionDecision[] {
  const holdingStart = new Set(events.filter((e) => e.kind === 'start').map((e) => e.sessionId));
  return [...views].map(([sessionId, view]) => ({
    sessionId,
    decision: decide(sessionId, view),
    holdsStart: holdingStart.has(sessionId),
  }));
}
