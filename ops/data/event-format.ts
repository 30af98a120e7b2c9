/** An event exactly as the public data set has it: these keys, in this order; ends have no country. */
export interface PublicEvent {
  readonly player_id: string;
  readonly country?: string;
  readonly event: 'start' | 'end';
  readonly session_id: string;
  /** `YYYY-MM-DDTHH:MM:SS`, UTC without zone or fraction. */
  readonly ts: string;
}

/** Epoch seconds as the data set writes them. */
export function formatTs(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19);
}

/**
 * One line of the data set. It was written by Python's `json.dumps` with its default separators
 * (", " and ": "), which JSON.stringify does not offer, so the object is assembled by hand.
 */
export function formatLine(event: PublicEvent): string {
  const fields = Object.entries(event).map(
    ([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`,
  );
  return `{${fields.join(', ')}}`;
}
