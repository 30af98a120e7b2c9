import { expect } from 'chai';
import {
  CHECKPOINT_SETTING,
  checkpointSetting,
  rebuildView,
  VerificationError,
  type RebuildDeps,
} from '../../../ops/rebuild/run-rebuild.ts';
import { formatGenerations, parseGenerations } from '../../../src/domain/generations.ts';
import type { FactPage, StoredFact } from '../../../src/storage/fact-scan.ts';

const fact = (sessionId: string): StoredFact => ({
  sessionId,
  kind: 'start',
  ts: 0,
  playerId: 'p',
  country: 'FI',
});
type Page = FactPage & { rows: number };
const PAGES: Page[] = [
  { facts: [fact('a')], rows: 1, resumeToken: '-100' },
  { facts: [fact('b')], rows: 1, resumeToken: '100' },
  { facts: [fact('c')], rows: 1, resumeToken: 'done' },
];

/** A rebuild over fakes that record, in order, every statement, setting, sleep and page. */
function fakes(
  options: { stopAfter?: string | undefined; wrongOn?: string; wrongAtRest?: boolean } = {},
) {
  const log: string[] = [];
  const settings = new Map<string, string>();
  let clock = 1_000;
  const deps: RebuildDeps<Page> = {
    view: 'completed-sessions',
    createCql: () => ['CREATE TABLE'],
    tables: (g) => [`ks.completed_sessions_by_player${g % 2 === 0 ? '' : '_alt'}`],
    client: {
      execute: (query: string) => {
        log.push(query.startsWith('CREATE') ? 'create' : query);
        return Promise.resolve({} as never);
      },
    },
    generations: {
      get: () => Promise.resolve(parseGenerations(settings.get('g'))),
      set: (_view, g) => {
        log.push(`generations ${formatGenerations(g)}`);
        settings.set('g', formatGenerations(g));
        return Promise.resolve();
      },
    },
    settings: {
      get: (name) => Promise.resolve(settings.get(name)),
      set: (name, value) => (settings.set(name, value), Promise.resolve()),
    },
    scan: async function* (from) {
      const order = ['-9223372036854775808', '-100', '100'];
      for (const page of PAGES.slice(order.indexOf(from))) {
        await Promise.resolve();
        yield page;
      }
    },
    pages: (target) => ({
      derive: ({ facts }) => {
        log.push(`derive ${facts[0]?.sessionId} into ${target}`);
        if (facts[0]?.sessionId === options.stopAfter) throw new Error('interrupted');
        return Promise.resolve(1);
      },
      verify: ({ facts }) => {
        log.push(`verify ${facts[0]?.sessionId}`);
        const wrong = facts[0]?.sessionId === options.wrongOn ? ['x: completed row missing'] : [];
        return Promise.resolve({ repaired: 0, wrong });
      },
      verifyRest: () => {
        log.push('verify the rest');
        return Promise.resolve({ repaired: 0, wrong: options.wrongAtRest ? ['hour wrong'] : [] });
      },
    }),
    settleMs: 5,
    graceMs: 60_000,
    now: () => clock,
    sleep: (ms) => {
      log.push(`sleep ${ms}`);
      clock += ms;
      return Promise.resolve();
    },
    onProgress: () => undefined,
    log: () => undefined,
  };
  return { deps, log, settings, options };
}

describe('rebuilding read model 2 in phases', () => {
  it('empties the target, dual-writes, derives, verifies, switches reads, and only after the grace period stops writing and empties the old one', async () => {
    const f = fakes();
    await rebuildView(f.deps);
    expect(f.log).to.deep.equal([
      'create',
      'TRUNCATE ks.completed_sessions_by_player_alt',
      'generations {"read":0,"write":[0,1]}',
      'sleep 5',
      'derive a into 1',
      'derive b into 1',
      'derive c into 1',
      'verify a',
      'verify b',
      'verify c',
      'verify the rest',
      'generations {"read":1,"write":[0,1]}',
      'sleep 5',
      'sleep 60000',
      'generations {"read":1,"write":[1]}',
      'sleep 5',
      'TRUNCATE ks.completed_sessions_by_player',
    ]);
    expect(f.settings.get(CHECKPOINT_SETTING)).to.equal('');
  });

  it('goes on after an interruption from the page after the last one done', async () => {
    const f = fakes({ stopAfter: 'b' });
    let failed: unknown;
    await rebuildView(f.deps).catch((err: unknown) => (failed = err));
    expect(String(failed)).to.contain('interrupted');
    f.log.length = 0;
    f.options.stopAfter = undefined;
    await rebuildView(f.deps);
    // Page b was not done: it is derived again, a and the preparation are not.
    expect(f.log[0]).to.equal('derive b into 1');
    expect(f.log).to.not.include('create');
  });

  it('never switches reads to a generation that differs from the facts', async () => {
    const f = fakes({ wrongOn: 'b' });
    let failed: unknown;
    await rebuildView(f.deps).catch((err: unknown) => (failed = err));
    expect(failed).to.be.instanceOf(VerificationError);
    expect(parseGenerations(f.settings.get('g'))).to.deep.equal({ read: 0, write: [0, 1] });
  });

  it('builds the next generation in the other table', async () => {
    const f = fakes();
    f.settings.set('g', formatGenerations({ read: 1, write: [1] }));
    await rebuildView(f.deps);
    expect(f.log.slice(0, 3)).to.deep.equal([
      'create',
      'TRUNCATE ks.completed_sessions_by_player',
      'generations {"read":1,"write":[1,2]}',
    ]);
    expect(f.log.at(-1)).to.equal('TRUNCATE ks.completed_sessions_by_player_alt');
  });

  it('does not switch reads when the check after the last page finds a difference', async () => {
    const f = fakes({ wrongAtRest: true });
    let failed: unknown;
    await rebuildView(f.deps).catch((err: unknown) => (failed = err));
    expect(failed).to.be.instanceOf(VerificationError);
    expect(String(failed)).to.contain('hour wrong');
    expect(parseGenerations(f.settings.get('g'))).to.deep.equal({ read: 0, write: [0, 1] });
  });

  it('keeps each view’s rebuild apart: its own checkpoint, its own generations, all its tables', async () => {
    const f = fakes();
    const views: string[] = [];
    await rebuildView({
      ...f.deps,
      view: 'start-counts',
      createCql: () => [],
      tables: (g) => (g % 2 === 0 ? ['ks.a', 'ks.b'] : ['ks.a_alt', 'ks.b_alt']),
      generations: {
        get: (view) => (views.push(view), f.deps.generations.get(view)),
        set: (view, g) => (views.push(view), f.deps.generations.set(view, g)),
      },
    });
    expect(new Set(views)).to.deep.equal(new Set(['start-counts']));
    expect(f.log.slice(0, 2)).to.deep.equal(['TRUNCATE ks.a_alt', 'TRUNCATE ks.b_alt']);
    expect(f.log.slice(-2)).to.deep.equal(['TRUNCATE ks.a', 'TRUNCATE ks.b']);
    expect(f.settings.has(checkpointSetting('start-counts'))).to.be.true;
    expect(f.settings.has(CHECKPOINT_SETTING)).to.be.false;
  });
});
