import type { EventKind } from './events.ts';

/**
 * Pairing decisions (docs/CONTRACT.md §2 and §4), pure. A worker writes the variant its event carries to
 * the session's fact partition, reads the partition back (its "view") and applies what `decide`
 * returns. Each output carries a version that grows with the view, and is written with it as the
 * write timestamp, so that whatever order views are applied in, the largest view wins: the one
 * that saw every variant. See docs/DATA-MODEL.md, "Convergence".
 *
 * The conflict rule: when one session has several different starts (or ends) — same session id and
 * kind, but another ts, country or player — the earliest `ts` wins; ties go to the smallest country,
 * then the smallest player id. The losers are kept as facts and counted nowhere.
 */

/** One distinct event of a session, as stored in sessions_by_id. */
export interface Variant {
  readonly kind: EventKind;
  readonly ts: number;
  readonly playerId: string;
  /** Upper-case country code on a start; '' on an end. */
  readonly country: string;
}

export interface CompletedSession {
  readonly playerId: string;
  readonly sessionId: string;
  readonly startTs: number;
  readonly endTs: number;
  readonly country: string;
}

export const ANOMALIES = ['end_before_start', 'player_mismatch'] as const;
export type Anomaly = (typeof ANOMALIES)[number];

export interface StartFact {
  readonly variant: Variant;
  /** True for the chosen start, false for the variants that lost to it. */
  readonly live: boolean;
}

export interface Decision {
  readonly start: Variant | undefined;
  readonly end: Variant | undefined;
  /** Every start variant with its liveness, to be written at `startVersion`. */
  readonly startFacts: readonly StartFact[];
  readonly startVersion: number;
  /** The completed-session row the view implies, to be upserted at `sessionVersion`. */
  readonly completed: CompletedSession | undefined;
  /** Completed-session keys an earlier, smaller view may have written: deleted at `sessionVersion`. */
  readonly retracted: readonly { readonly playerId: string; readonly endTs: number }[];
  readonly sessionVersion: number;
  readonly anomaly: Anomaly | undefined;
  /** True when the session has more than one start or more than one end. */
  readonly conflicting: boolean;
}

export function decide(sessionId: string, variants: readonly Variant[]): Decision {
  const starts = variants.filter((v) => v.kind === 'start').sort(compareVariants);
  const ends = variants.filter((v) => v.kind === 'end').sort(compareVariants);
  const start = starts[0];
  const end = ends[0];
  const conflicting = starts.length > 1 || ends.length > 1;

  let anomaly: Anomaly | undefined;
  let completed: CompletedSession | undefined;
  if (start && end) {
    if (start.playerId !== end.playerId) anomaly = 'player_mismatch';
    else if (end.ts < start.ts) anomaly = 'end_before_start';
    else {
      completed = {
        playerId: end.playerId,
        sessionId,
        startTs: start.ts,
        endTs: end.ts,
        country: start.country,
      };
    }
  }

  // Without conflicts no smaller view can have written a row this view does not want: a view with
  // one half writes nothing, and the two halves are the same ones here. With conflicts, every key
  // an end variant could have produced, other than the wanted one, is retracted.
  const retracted = conflicting
    ? ends
        .filter(
          (e) => !(completed && e.playerId === completed.playerId && e.ts === completed.endTs),
        )
        .map((e) => ({ playerId: e.playerId, endTs: e.ts }))
    : [];

  return {
    start,
    end,
    startFacts: starts.map((variant) => ({ variant, live: variant === start })),
    startVersion: starts.length,
    completed,
    retracted,
    sessionVersion: variants.length,
    anomaly,
    conflicting,
  };
}

/** Earliest ts first; ties by country, then player id (the conflict rule). */
export function compareVariants(a: Variant, b: Variant): number {
  return a.ts - b.ts || compareText(a.country, b.country) || compareText(a.playerId, b.playerId);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
