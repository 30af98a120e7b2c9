import { tableOf, type RebuildableView } from '../../src/domain/generations.ts';
import {
  COMPLETED_SESSIONS_TABLE,
  completedSessionsTableCql,
} from '../../src/storage/completed-sessions.ts';
import { FIRST_TOKEN, type FactPage } from '../../src/storage/fact-scan.ts';
import type { KeyspaceSettings } from '../../src/storage/keyspace-settings.ts';
import type { StatementRunner } from '../../src/storage/request-limit.ts';
import type { ViewGenerations } from '../../src/storage/view-generations.ts';
import { formatCheckpoint, parseCheckpoint, type RebuildCheckpoint } from './checkpoint.ts';
import type { CompletedPages } from './completed-pages.ts';

export interface RebuildDeps {
  readonly client: Pick<StatementRunner, 'execute'>;
  readonly keyspace: string;
  readonly generations: Pick<ViewGenerations, 'get' | 'set'>;
  readonly settings: Pick<KeyspaceSettings, 'get' | 'set'>;
  /** The facts, page by page, paced, from a resume token on (src/storage/fact-scan.ts). */
  readonly scan: (fromToken: string) => AsyncIterable<FactPage>;
  readonly pages: (target: number) => Pick<CompletedPages, 'derive' | 'verify'>;
  /** How long every API and worker process may take to follow a generation change. */
  readonly settleMs: number;
  /** How long the old generation stays (and is written) after reads switched. */
  readonly graceMs: number;
  readonly now: () => number;
  /** Resolves after `ms`, or rejects when the signal aborts. */
  readonly sleep: (ms: number) => Promise<void>;
  readonly onProgress: (progress: { phase: string; token: string; rows: number }) => void;
  readonly log: (line: string) => void;
}

const VIEW: RebuildableView = 'completed-sessions';
export const CHECKPOINT_SETTING = `rebuild.${VIEW}`;

/** The rebuild found the new generation differing from the facts even after writing it again. */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
  constructor(readonly differences: readonly string[]) {
    super(`the new generation differs from the facts: ${differences.slice(0, 5).join('; ')}`);
  }
}

/**
 * Rebuilds read model 2 (completed sessions) from the facts into a new generation, online, and
 * switches reads to it (docs/DECISIONS.md, "Rebuilding a read model"): every phase is saved as
 * it ends and every page as it is done, so a run that stops is resumed by running it again.
 */
export async function rebuildCompletedSessions(deps: RebuildDeps): Promise<RebuildCheckpoint> {
  const table = (g: number) => `${deps.keyspace}.${tableOf(COMPLETED_SESSIONS_TABLE, g)}`;
  const save = (c: RebuildCheckpoint) => deps.settings.set(CHECKPOINT_SETTING, formatCheckpoint(c));
  let cp = parseCheckpoint(await deps.settings.get(CHECKPOINT_SETTING));
  if (!cp) {
    cp = { phase: 'prepare', target: (await deps.generations.get(VIEW)).read + 1 };
    await save(cp);
  }
  const { target } = cp;
  const old = target - 1;
  deps.log(`rebuilding ${VIEW}: generation ${old} → ${target} (${table(target)}), ${cp.phase}`);

  if (cp.phase === 'prepare') {
    // Emptied before any worker writes it: whatever a worker wrote there before an interrupted
    // prepare came from facts the scan, which starts after this, reads again.
    await deps.client.execute(completedSessionsTableCql(deps.keyspace, target));
    await deps.client.execute(`TRUNCATE ${table(target)}`);
    await deps.generations.set(VIEW, { read: old, write: [old, target] });
    await deps.sleep(deps.settleMs);
    await save((cp = { phase: 'scan', target, token: FIRST_TOKEN, rows: 0 }));
  }
  const pages = deps.pages(target);
  for (const phase of ['scan', 'verify'] as const) {
    if (cp.phase !== phase) continue;
    let rows = cp.rows ?? 0;
    let repaired = 0;
    for await (const page of deps.scan(cp.token ?? FIRST_TOKEN)) {
      if (phase === 'scan') await pages.derive(page.facts);
      else {
        const checked = await pages.verify(page.facts);
        if (checked.wrong.length > 0) throw new VerificationError(checked.wrong);
        repaired += checked.repaired;
      }
      rows += page.facts.length;
      await save({ phase, target, token: page.resumeToken, rows });
      deps.onProgress({ phase, token: page.resumeToken, rows });
    }
    if (phase === 'verify') {
      deps.log(`verified ${rows} facts against ${table(target)} (${repaired} sessions rewritten)`);
      await deps.generations.set(VIEW, { read: target, write: [old, target] });
      await deps.sleep(deps.settleMs);
      await save((cp = { phase: 'grace', target, switchedAt: deps.now() }));
      deps.log(`reads switched to generation ${target}`);
    } else await save((cp = { phase: 'verify', target, token: FIRST_TOKEN, rows: 0 }));
  }
  if (cp.phase === 'grace') {
    const left = (cp.switchedAt ?? 0) + deps.graceMs - deps.now();
    if (left > 0) deps.log(`keeping generation ${old} for ${Math.ceil(left / 1000)} s`);
    await deps.sleep(Math.max(0, left));
    await deps.generations.set(VIEW, { read: target, write: [target] });
    await deps.sleep(deps.settleMs);
    await deps.client.execute(`TRUNCATE ${table(old)}`);
    await deps.settings.set(CHECKPOINT_SETTING, '');
    deps.log(`generation ${old} dropped (${table(old)} emptied)`);
  }
  return cp;
}
