/**
 * Options for a statement that may be retried or run twice without harm: prepared, and marked
 * idempotent so that the driver may retry it on another node when its coordinator dies.
 */
export const IDEMPOTENT = { prepare: true, isIdempotent: true } as const;
