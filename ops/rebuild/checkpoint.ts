/**
 * Where a rebuild of one view stands, kept in `keyspace_settings` after every page so that a
 * rebuild stopped by a crash or Ctrl-C goes on where it stopped (ops/rebuild/run-rebuild.ts).
 *
 * - `prepare`: the target generation's table is emptied, then written by every worker too;
 * - `scan`: the facts are derived into it, from `token` on;
 * - `verify`: it is checked against the facts, from `token` on;
 * - `grace`: reads use it since `switchedAt`; the old generation is still written;
 * - (no checkpoint): nothing under way.
 */
export type RebuildPhase = 'prepare' | 'scan' | 'verify' | 'grace';

export interface RebuildCheckpoint {
  readonly phase: RebuildPhase;
  /** The generation being built. */
  readonly target: number;
  /** The scan's resume token within the phase (fact-scan.ts). */
  readonly token?: string;
  /** Facts read so far in the phase. */
  readonly rows?: number;
  /** When reads switched to the target (ms since the epoch). */
  readonly switchedAt?: number;
}

const PHASES: readonly string[] = ['prepare', 'scan', 'verify', 'grace'];

export class BadCheckpointError extends Error {
  override readonly name = 'BadCheckpointError';
}

export function parseCheckpoint(text: string | undefined): RebuildCheckpoint | undefined {
  if (text === undefined || text === '') return undefined;
  let value: Partial<RebuildCheckpoint>;
  try {
    value = JSON.parse(text) as Partial<RebuildCheckpoint>;
  } catch {
    throw new BadCheckpointError(`rebuild checkpoint ${text} is not JSON`);
  }
  if (
    typeof value.phase !== 'string' ||
    !PHASES.includes(value.phase) ||
    !Number.isSafeInteger(value.target) ||
    (value.target ?? 0) < 1
  )
    throw new BadCheckpointError(`rebuild checkpoint ${text} has no phase or target`);
  return value as RebuildCheckpoint;
}

export function formatCheckpoint(checkpoint: RebuildCheckpoint): string {
  return JSON.stringify(checkpoint);
}
