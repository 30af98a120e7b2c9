import pMap from 'p-map';
import type { Variant } from '../../src/domain/pairing.ts';
import type { CompletedSessions } from '../../src/storage/completed-sessions.ts';
import type { StoredFact } from '../../src/storage/fact-scan.ts';
import type { PartitionWrite } from '../../src/storage/partition-writes.ts';
import { ttlSeconds } from '../../src/domain/retention.ts';
import { rowDifferences, sessionRows, type SessionRows } from './derive-completed.ts';

export interface CompletedPagesDeps {
  /** Every session's facts as stored now (a read of each session's partition). */
  readonly views: (sessionIds: readonly string[]) => Promise<Map<string, Variant[]>>;
  /** Read model 2 in the generation being built. */
  readonly target: Pick<CompletedSessions, 'upsertWrite' | 'retractWrite' | 'row'>;
  readonly write: (writes: readonly PartitionWrite[]) => Promise<void>;
  readonly retentionMs: number;
  readonly now: () => number;
  readonly concurrency: number;
}

/**
 * One page of the facts scan into the new generation of read model 2, and its verification. The
 * sessions of a page are read again whole (a page may cut a session's partition; a worker may have
 * added a fact since), so each session is derived from all its facts.
 */
export class CompletedPages {
  constructor(private readonly deps: CompletedPagesDeps) {}

  /** Writes what the page's sessions imply; returns how many sessions it derived. */
  async derive(facts: readonly StoredFact[]): Promise<number> {
    const rows = await this.rowsOf(sessionIdsOf(facts));
    await this.deps.write(rows.flatMap((r) => this.writesOf(r)));
    return rows.length;
  }

  /**
   * Checks every session of the page against its facts. A session found wrong is derived and
   * written again from a fresh read (a worker may have changed it between the two reads) and
   * checked once more; what is still wrong then is returned, one line per difference.
   */
  async verify(
    facts: readonly StoredFact[],
  ): Promise<{ checked: number; repaired: number; wrong: string[] }> {
    const ids = sessionIdsOf(facts);
    const first = await this.differences(await this.rowsOf(ids));
    if (first.length === 0) return { checked: ids.length, repaired: 0, wrong: [] };
    const again = await this.rowsOf(first.map((d) => d.rows.sessionId));
    await this.deps.write(again.flatMap((r) => this.writesOf(r)));
    const wrong = (await this.differences(again)).flatMap((d) => d.lines);
    return { checked: ids.length, repaired: first.length, wrong };
  }

  private async rowsOf(sessionIds: readonly string[]): Promise<SessionRows[]> {
    const views = await this.deps.views(sessionIds);
    const now = this.deps.now();
    return [...views].map(([id, view]) => sessionRows(id, view, now, this.deps.retentionMs));
  }

  private writesOf(rows: SessionRows): PartitionWrite[] {
    const { target } = this.deps;
    const writes: PartitionWrite[] = [];
    if (rows.completed) {
      const ttl = ttlSeconds(rows.completed.startTs, this.deps.now(), this.deps.retentionMs);
      writes.push(target.upsertWrite(rows.completed, rows.version, ttl));
    }
    for (const key of rows.absent)
      writes.push(target.retractWrite(key.playerId, key.endTs, rows.sessionId, rows.version));
    return writes;
  }

  private async differences(all: readonly SessionRows[]) {
    const { target } = this.deps;
    const found = await pMap(
      all,
      async (rows) => {
        const c = rows.completed;
        const completed = c ? await target.row(c.playerId, c.endTs, c.sessionId) : undefined;
        const absent = await Promise.all(
          rows.absent.map(
            async (k) => (await target.row(k.playerId, k.endTs, rows.sessionId)) !== undefined,
          ),
        );
        return { rows, lines: rowDifferences(rows, { completed, absent }) };
      },
      { concurrency: this.deps.concurrency },
    );
    return found.filter((d) => d.lines.length > 0);
  }
}

function sessionIdsOf(facts: readonly StoredFact[]): string[] {
  return [...new Set(facts.map((f) => f.sessionId))];
}
