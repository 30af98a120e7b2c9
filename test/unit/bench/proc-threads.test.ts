import { expect } from 'chai';
import { ThreadMeter, threadGroup, threadsBetween } from '../../../ops/bench/proc-threads.ts';

describe('CPU time by thread group', () => {
  it('groups the threads of a pool under the pool name, without their index', () => {
    expect(threadGroup('ReadStage-3')).to.equal('ReadStage');
    expect(threadGroup('Native-Transpor')).to.equal('Native-Transpor');
    expect(threadGroup('GC Thread#1')).to.equal('GC Thread');
    expect(threadGroup('C2 CompilerThre')).to.equal('C2 CompilerThre');
    expect(threadGroup('COMMIT-LOG-WRIT\n')).to.equal('COMMIT-LOG-WRIT');
    expect(threadGroup('42')).to.equal('42');
  });

  it('gives what each group used between two snapshots, largest first, idle groups left out', () => {
    const t = (group: string, ms: number) => ({ group, ms });
    const before = new Map([
      ['1', t('ReadStage', 100)],
      ['2', t('MutationStage', 50)],
      ['3', t('idle', 7)],
    ]);
    const after = new Map([
      ['1', t('ReadStage', 130)],
      ['2', t('MutationStage', 150)],
      ['3', t('idle', 7)],
      ['4', t('new', 5)],
    ]);
    expect(threadsBetween(before, after)).to.deep.equal([
      { group: 'MutationStage', ms: 100 },
      { group: 'ReadStage', ms: 30 },
      { group: 'new', ms: 5 },
    ]);
  });

  it('counts a thread that renamed itself under its later name, by its own time only', () => {
    const before = new Map([['9', { group: 'Native-Transpor', ms: 400 }]]);
    const after = new Map([['9', { group: 'MutationStage', ms: 410 }]]);
    expect(threadsBetween(before, after)).to.deep.equal([{ group: 'MutationStage', ms: 10 }]);
  });

  it('reads this very process: its main thread has used some CPU', () => {
    const snapshot = new ThreadMeter(process.pid, 100).snapshot();
    const total = [...snapshot.values()].reduce((a, b) => a + b.ms, 0);
    expect(total).to.be.greaterThan(0);
  });

  it('reads nothing, without failing, for an unknown or vanished process', () => {
    expect(new ThreadMeter(undefined, 100).snapshot().size).to.equal(0);
    expect(new ThreadMeter(2 ** 22 + 12345, 100).snapshot().size).to.equal(0);
  });
});
