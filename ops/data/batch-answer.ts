/** The service's answer to one batch, read defensively, field by field. */

/** What became of one batch. */
export type BatchOutcome =
  /** 202: `accepted` events are queued; the others were rejected, counted by code. */
  | {
      kind: 'accepted';
      batchId: string;
      accepted: number;
      rejected: Map<string, number>;
      /** The rejected events' codes by their index in the batch. */
      rejectedAt: Map<number, string>;
      retries: number;
    }
  /** 400: the service took none of the events and said why; counted by code. */
  | { kind: 'refused'; rejected: Map<string, number>; retries: number }
  /** Not delivered: retries ran out, or an answer other than 202, 400 or 503. */
  | { kind: 'lost'; reason: string; retries: number };

export function settle(
  status: number,
  answer: string,
  size: number,
  retries: number,
): BatchOutcome {
  const body = parseJson(answer);
  if (status === 202) {
    const { batch_id: batchId, accepted, rejected } = body;
    if (typeof batchId !== 'string' || typeof accepted !== 'number') {
      return { kind: 'lost', reason: 'unreadable 202 answer', retries };
    }
    return {
      kind: 'accepted',
      batchId,
      accepted,
      rejected: countCodes(rejected),
      rejectedAt: codesByIndex(rejected),
      retries,
    };
  }
  const error = asObject(body.error);
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (status === 400) {
    // "no_valid_events" lists each event's own reason; any other 400 is about the batch as a whole.
    const rejected =
      code === 'no_valid_events' ? countCodes(error.details) : new Map<string, number>();
    const unexplained = size - [...rejected.values()].reduce((a, b) => a + b, 0);
    const label = code ?? 'bad_request';
    if (unexplained > 0) rejected.set(label, (rejected.get(label) ?? 0) + unexplained);
    return { kind: 'refused', rejected, retries };
  }
  return { kind: 'lost', reason: `HTTP ${status}${code ? ` ${code}` : ''}`, retries };
}

function countCodes(list: unknown): Map<string, number> {
  const counts = new Map<string, number>();
  if (!Array.isArray(list)) return counts;
  for (const item of list as { code?: unknown }[]) {
    const code = typeof item.code === 'string' ? item.code : 'unknown';
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}

function codesByIndex(list: unknown): Map<number, string> {
  const codes = new Map<number, string>();
  if (!Array.isArray(list)) return codes;
  for (const item of list as { index?: unknown; code?: unknown }[]) {
    if (typeof item.index === 'number')
      codes.set(item.index, typeof item.code === 'string' ? item.code : 'unknown');
  }
  return codes;
}

/** The JSON object in `text`, or an empty one: answers are read defensively, field by field. */
function parseJson(text: string): Record<string, unknown> {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return {};
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
