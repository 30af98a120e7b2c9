import { decide, type CompletedSession, type Variant } from '../../src/domain/pairing.ts';
import { isRetained } from '../../src/domain/retention.ts';

/** What read model 2 must hold for one session, derived from its facts alone. */
export interface SessionRows {
  readonly sessionId: string;
  /** The session's completed row, if it is completed and still within the retention. */
  readonly completed: CompletedSession | undefined;
  /** Rows a smaller view of the session may have written, which must not be there. */
  readonly absent: readonly { readonly playerId: string; readonly endTs: number }[];
  /** The version every write of this session carries (the pipeline's: its number of variants). */
  readonly version: number;
}

/**
 * The rows of read model 2 a session's facts imply: exactly what the pipeline writes for the same
 * view (workers/pipeline/write-sessions.ts), at the same version, so that a rebuild's write and a
 * worker's write of the same session converge whatever order they land in.
 */
export function sessionRows(
  sessionId: string,
  view: readonly Variant[],
  now: number,
  retentionMs: number,
): SessionRows {
  const decision = decide(sessionId, view);
  const completed =
    decision.completed && isRetained(decision.completed.startTs, now, retentionMs)
      ? decision.completed
      : undefined;
  const absent = decision.retracted.filter(
    (r) => !completed || r.playerId !== completed.playerId || r.endTs !== completed.endTs,
  );
  return { sessionId, completed, absent, version: decision.sessionVersion };
}

/** A stored row of read model 2, as the verification reads it. */
export interface StoredRow {
  readonly startTs: number;
  readonly country: string;
}

/**
 * What is wrong with a session's rows in a generation, given what its facts imply: nothing (an
 * empty list), or one line per difference (a row missing or different, a row that must not exist).
 */
export function rowDifferences(
  expected: SessionRows,
  stored: { completed: StoredRow | undefined; absent: readonly boolean[] },
): string[] {
  const differences: string[] = [];
  const want = expected.completed;
  if (want && !stored.completed) differences.push(`${expected.sessionId}: completed row missing`);
  else if (
    want &&
    stored.completed &&
    (stored.completed.startTs !== want.startTs || stored.completed.country !== want.country)
  )
    differences.push(`${expected.sessionId}: completed row differs from its facts`);
  stored.absent.forEach((present, i) => {
    if (present)
      differences.push(
        `${expected.sessionId}: a row at ${expected.absent[i]?.endTs} its facts do not complete`,
      );
  });
  return differences;
}
