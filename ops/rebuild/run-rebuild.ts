import type { RebuildableView } from '../../src/domain/generations.ts';
import { FIRST_TOKEN } from '../../src/storage/fact-scan.ts';
import type { KeyspaceSettings } from '../../src/storage/keyspace-settings.ts';
import type { StatementRunner } from '../../src/storage/request-limit.ts';
import type { ViewGenerations } from '../../src/storage/view-generations.ts';
import { formatCheckpoint, parseCheckpoint, type RebuildCheckpoint } from './checkpoint.ts';

/** One page of a rebuild's scan: how many fact rows it read, and where a resumed scan starts. */
export interface ScanPage {
  readonly rows: number;
  readonly resumeToken: string;
}

/** What a rebuild does with the pages of its scan, in the generation it builds. */
export interface RebuildPages<P extends ScanPage> {
  /** Writes what the page's facts imply into the target generation. */
  derive(page: P): Promise<unknown>;
  /** Checks the page's part of the target generation (repairing once); what is still wrong. */
  verify(page: P): Promise<{ repaired: number; wrong: readonly string[] }>;
  /** Checks what the page-by-page verification cannot see, after the last page. */
  verifyRest?(): Promise<{ repaired: number; wrong: readonly string[] }>;
}

export interface RebuildDeps<P extends ScanPage = ScanPage> {
  readonly view: RebuildableView;
  readonly client: Pick<StatementRunner, 'execute'>;
  /** The CQL that makes a generation's tables, where the migrations do not. */
  readonly createCql: (generation: number) => readonly string[];
  /** The keyspace-qualified tables a generation lives in. */
  readonly tables: (generation: number) => readonly string[];
  readonly generations: Pick<ViewGenerations, 'get' | 'set'>;
  readonly settings: Pick<KeyspaceSettings, 'get' | 'set'>;
  /** The facts, page by page, paced, from a resume token on (src/storage/fact-scan.ts). */
  readonly scan: (fromToken: string) => AsyncIterable<P>;
  readonly pages: (target: number) => RebuildPages<P>;
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

/** The `keyspace_settings` row holding a rebuild's checkpoint of a view. */
export function checkpointSetting(view: RebuildableView): string {
  return `rebuild.${view}`;
}
export const CHECKPOINT_SETTING = checkpointSetting('completed-sessions');

/** The rebuild found the new generation differing from the facts even after writing it again. */
export class VerificationError extends Error {
  override readonly name = 'VerificationError';
  constructor(readonly differences: readonly string[]) {
    super(`the new generation differs from the facts: ${differences.slice(0, 5).join('; ')}`);
  }
}

/**
 * Rebuilds a read model from the facts into a new generation, online, and switches reads to it
 * (docs/DECISIONS.md, "Rebuilding a read model"): every phase is saved as it ends and every page
 * as it is done, so a run that stops is resumed by running it again.
 */
export async function rebuildView<P extends ScanPage>(
  deps: RebuildDeps<P>,
): Promise<RebuildCheckpoint> {
  const { view } = deps;
  const setting = checkpointSetting(view);
  const table = (g: number) => deps.tables(g).join(', ');
  const save = (c: RebuildCheckpoint) => deps.settings.set(setting, formatCheckpoint(c));
  let cp = parseCheckpoint(await deps.settings.get(setting));
  if (!cp) {
    cp = { phase: 'prepare', target: (await deps.generations.get(view)).read + 1 };
    await save(cp);
  }
  const { target } = cp;
  const old = target - 1;
  deps.log(`rebuilding ${view}: generation ${old} → ${target} (${table(target)}), ${cp.phase}`);

  if (cp.phase === 'prepare') {
    // Emptied before any worker writes it: whatever a worker wrote there before an interrupted
    // prepare came from facts the scan, which starts after this, reads again.
    for (const cql of deps.createCql(target)) await deps.client.execute(cql);
    for (const t of deps.tables(target)) await deps.client.execute(`TRUNCATE ${t}`);
    await deps.generations.set(view, { read: old, write: [old, target] });
    await deps.sleep(deps.settleMs);
    await save((cp = { phase: 'scan', target, token: FIRST_TOKEN, rows: 0 }));
  }
  const pages = deps.pages(target);
  for (const phase of ['scan', 'verify'] as const) {
    if (cp.phase !== phase) continue;
    let rows = cp.rows ?? 0;
    let repaired = 0;
    for await (const page of deps.scan(cp.token ?? FIRST_TOKEN)) {
      if (phase === 'scan') await pages.derive(page);
      else {
        const checked = await pages.verify(page);
        if (checked.wrong.length > 0) throw new VerificationError(checked.wrong);
        repaired += checked.repaired;
      }
      rows += page.rows;
      await save({ phase, target, token: page.resumeToken, rows });
      deps.onProgress({ phase, token: page.resumeToken, rows });
    }
    if (phase === 'verify') {
      const rest = (await pages.verifyRest?.()) ?? { repaired: 0, wrong: [] };
      if (rest.wrong.length > 0) throw new VerificationError(rest.wrong);
      repaired += rest.repaired;
      deps.log(`verified ${rows} facts against ${table(target)} (${repaired} rewritten)`);
      await deps.generations.set(view, { read: target, write: [old, target] });
      await deps.sleep(deps.settleMs);
      await save((cp = { phase: 'grace', target, switchedAt: deps.now() }));
      deps.log(`reads switched to generation ${target}`);
    } else await save((cp = { phase: 'verify', target, token: FIRST_TOKEN, rows: 0 }));
  }
  if (cp.phase === 'grace') {
    const left = (cp.switchedAt ?? 0) + deps.graceMs - deps.now();
    if (left > 0) deps.log(`keeping generation ${old} for ${Math.ceil(left / 1000)} s`);
    await deps.sleep(Math.max(0, left));
    await deps.generations.set(view, { read: target, write: [target] });
    await deps.sleep(deps.settleMs);
    for (const t of deps.tables(old)) await deps.client.execute(`TRUNCATE ${t}`);
    await deps.settings.set(setting, '');
    deps.log(`generation ${old} dropped (${table(old)} emptied)`);
  }
  return cp;
}
