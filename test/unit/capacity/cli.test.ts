import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parseCapacityArgs } from '../../../ops/capacity/args.ts';
import { UsageError } from '../../../ops/lib/errors.ts';

const run = promisify(execFile);

async function capacity(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', 'tsx', 'ops/capacity.ts', ...args],
      { encoding: 'utf8' },
    );
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

const refused =
  (...argv: string[]) =>
  () =>
    parseCapacityArgs(argv);

describe('npm run capacity', () => {
  it('refuses what it cannot model with a usage error that names the argument', () => {
    expect(refused()).to.throw(UsageError, '--events-per-second is required');
    expect(refused('--events-per-second', 'many')).to.throw(UsageError, 'positive number');
    expect(refused('--events-per-second', '0')).to.throw(UsageError, 'positive number');
    expect(refused('--events-per-second', '-5')).to.throw(UsageError);
    expect(refused('--events-per-second', '10', '--nodes', '2')).to.throw(
      UsageError,
      'cannot hold 3 replicas',
    );
    expect(refused('--events-per-second', '10', '--shards', '1.5')).to.throw(UsageError, 'integer');
    expect(refused('--events-per-second', '10', '--keep-done-seconds', '60')).to.throw(
      UsageError,
      'from 3600',
    );
    expect(refused('--events-per-second', '10', '--redis-memory-gib', '0.1')).to.throw(
      UsageError,
      'backlog',
    );
    expect(refused('--events-per-second', '10', '--shard', '4')).to.throw(UsageError, '--shard');
    expect(refused('--events-per-second', '10', 'extra')).to.throw(UsageError);
    expect(refused('--events-per-second', '10,,20')).to.throw(UsageError, 'not ');
  });

  it('leaves unset what it is to choose, and takes what it is given', () => {
    const args = parseCapacityArgs([
      '--events-per-second',
      '1e6',
      '--nodes',
      '30',
      '--queues',
      '4',
    ]);
    if (args.help) throw new Error('not help');
    expect(args.inputs).to.have.length(1);
    expect(args.inputs[0]).to.include({ eventsPerSecond: 1e6, nodes: 30, queues: 4, rf: 3 });
    expect(args.inputs[0]?.shards).to.be.undefined;
    expect(args.inputs[0]?.workers).to.be.undefined;
  });

  it('prints its usage and exits 0 on --help', async () => {
    const { code, out } = await capacity('--help');
    expect(code).to.equal(0);
    expect(out).to.match(/^usage: npm run capacity -- --events-per-second N/);
  });

  it('exits 2 with the reason on a bad argument', async () => {
    const { code, out, err } = await capacity('--events-per-second', 'lots');
    expect(code).to.equal(2);
    expect(out).to.equal('');
    expect(err).to.contain('--events-per-second must be a positive number, not lots');
  });

  it('prints every table of the design as Markdown', async () => {
    const { code, out } = await capacity('--events-per-second', '1000000', '--nodes', '30');
    expect(code).to.equal(0);
    for (const table of [
      'sessions_by_id',
      'completed_sessions_by_player',
      'start_facts_by_shard',
      'start_count_seconds',
      'start_count_rollups',
      'start_counts_by_country',
    ])
      expect(out).to.match(new RegExp(`^\\| ${table} +\\|`, 'm'));
    expect(out).to.match(/^\| shards S +\| 100 +\| chosen/m);
    expect(out).to.contain('GET /v1/countries/starts?hours=X');
  });
});
