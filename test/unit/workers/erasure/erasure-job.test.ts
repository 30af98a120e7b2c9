import { expect } from 'chai';
import type { ErasureJob, ErasureProgress } from '../../../../src/queue/erasures-queue.ts';
import { playerHash } from '../../../../src/queue/erasures-queue.ts';
import type { FactPage, StoredFact } from '../../../../src/storage/fact-scan.ts';
import type { ErasedSeconds } from '../../../../src/storage/player-erasure.ts';
import type { ErasePlayerDeps } from '../../../../workers/erasure/erase-player.ts';
import { runErasure } from '../../../../workers/erasure/erasure-worker.ts';
import { captureLogs } from '../../../helpers/log-lines.ts';

const PLAYER = 'p-secret';
const fact = (sessionId: string, playerId: string): StoredFact => ({
  sessionId,
  playerId,
  kind: 'start',
  ts: 1_000,
  country: 'FI',
});
const PAGES: FactPage[] = [
  { facts: [fact('a', 'other'), fact('b', PLAYER)], resumeToken: '-100' },
  { facts: [fact('c', 'other')], resumeToken: '200' },
  { facts: [fact('d', PLAYER), fact('d', 'other')], resumeToken: 'done' },
];

/** An erasure over fake pages, recording what it was asked to do. */
function fakeErase(): ErasePlayerDeps & {
  scannedFrom: (string | undefined)[];
  erased: string[][];
  counted: ErasedSeconds[];
} {
  const deps = {
    scannedFrom: [] as (string | undefined)[],
    erased: [] as string[][],
    counted: [] as ErasedSeconds[],
    scan: (from: string | undefined) => {
      deps.scannedFrom.push(from);
      const start = from === undefined ? 0 : PAGES.findIndex((p) => p.resumeToken === from);
      return (async function* () {
        for (const page of PAGES.slice(start)) yield await Promise.resolve(page);
      })();
    },
    views: (ids: readonly string[]) => Promise.resolve(new Map(ids.map((id) => [id, []]))),
    erasure: {
      eraseSessions: (_erasureId: string, _player: string, views: ReadonlyMap<string, unknown>) => {
        deps.erased.push([...views.keys()]);
        const seconds: ErasedSeconds = new Map([[0, new Map([[1_000, new Set(['FI'])]])]]);
        return Promise.resolve({ facts: views.size, seconds });
      },
      eraseCompleted: () => Promise.resolve(3),
    },
    whenCounted: (dirty: ErasedSeconds) => {
      deps.counted.push(dirty);
      return Promise.resolve();
    },
    completedGenerations: () => Promise.resolve([0]),
  };
  return deps;
}

function fakeJob(progress: ErasureProgress | number = 0): ErasureJob & { saved: unknown[] } {
  const job = {
    id: 'erasure-1',
    progress,
    saved: [] as unknown[],
    data: {
      player_id: PLAYER,
      player_sha256: playerHash(PLAYER),
      requested_by: 'key:abc',
      requested_at: '2026-12-04T10:00:00.000Z',
    } as ErasureJob['data'],
    updateProgress(p: ErasureProgress) {
      job.progress = p;
      job.saved.push(p);
      return Promise.resolve();
    },
    updateData(data: ErasureJob['data']) {
      job.data = data;
      return Promise.resolve();
    },
  };
  return job as unknown as ErasureJob & { saved: unknown[] };
}

describe('an erasure job', () => {
  it('erases the sessions the player appears in, page by page, recounting before saving its place', async () => {
    const deps = fakeErase();
    const job = fakeJob();
    const { logger } = captureLogs('worker');
    const result = await runErasure(job, deps, logger);
    expect(deps.erased).to.deep.equal([['b'], ['d']]);
    expect(deps.counted).to.have.length(2);
    expect(job.saved).to.deep.equal([
      { resume_token: '-100', sessions: 1, facts: 1 },
      { resume_token: '200', sessions: 1, facts: 1 },
      { resume_token: 'done', sessions: 2, facts: 2 },
    ]);
    expect(result).to.deep.equal({ sessions: 2, facts: 2, completed_rows: 3 });
  });

  it('clears the completed sessions of every generation being written (two while a rebuild runs)', async () => {
    const cleared: (readonly number[])[] = [];
    const deps = {
      ...fakeErase(),
      completedGenerations: () => Promise.resolve([3, 4]),
    };
    deps.erasure = {
      ...deps.erasure,
      eraseCompleted: (_player: string, generations?: readonly number[]) => {
        cleared.push(generations ?? []);
        return Promise.resolve(0);
      },
    };
    await runErasure(fakeJob(), deps, captureLogs('worker').logger);
    expect(cleared).to.deep.equal([[3, 4]]);
  });

  it('goes on from where an earlier attempt saved its place', async () => {
    const deps = fakeErase();
    const job = fakeJob({ resume_token: '200', sessions: 1, facts: 1 });
    const result = await runErasure(job, deps, captureLogs('worker').logger);
    expect(deps.scannedFrom).to.deep.equal(['200']);
    expect(deps.erased).to.deep.equal([['d']]);
    expect(result).to.deep.equal({ sessions: 2, facts: 2, completed_rows: 3 });
  });

  it('keeps only the hash of the id once done, and logs an audit line without the id', async () => {
    const job = fakeJob();
    const logs = captureLogs('worker');
    await runErasure(job, fakeErase(), logs.logger);
    expect(job.data).to.deep.equal({
      player_sha256: playerHash(PLAYER),
      requested_by: 'key:abc',
      requested_at: '2026-12-04T10:00:00.000Z',
    });
    const audit = logs.lines.filter((l) => l.audit === 'player_erasure');
    expect(audit).to.have.length(1);
    expect(audit[0]).to.include({
      erasure_id: 'erasure-1',
      player_sha256: playerHash(PLAYER),
      requested_by: 'key:abc',
      facts: 2,
    });
    expect(JSON.stringify(logs.lines)).not.to.contain(PLAYER);
  });

  it('does nothing again when an attempt died after it had finished and forgotten the id', async () => {
    const deps = fakeErase();
    const job = fakeJob({ resume_token: 'done', sessions: 2, facts: 2 });
    const { player_sha256, requested_by, requested_at } = job.data;
    job.data = { player_sha256, requested_by, requested_at };
    const result = await runErasure(job, deps, captureLogs('worker').logger);
    expect(deps.scannedFrom).to.deep.equal([]);
    expect(result).to.include({ sessions: 2, facts: 2 });
  });
});
