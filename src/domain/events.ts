/** A validated, normalised session event: what the API accepts and the workers consume. */
export interface SessionEvent {
  readonly kind: EventKind;
  readonly sessionId: string;
  readonly playerId: string;
  /** Two upper-case ASCII letters on a start; undefined on an end (ignored there). */
  readonly country: string | undefined;
  /** Event time in epoch milliseconds (UTC), truncated to the millisecond. */
  readonly ts: number;
}

export type EventKind = 'start' | 'end';
