import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadFileInBulk } from '../../../ops/data/bulk-loader.ts';
import { Random } from '../../../ops/data/random.ts';
import { writeLines } from '../../../ops/data/write-lines.ts';
import { awkwardEvents } from '../../helpers/awkward-events.ts';
import { getter } from '../../helpers/compare-views.ts';
import { processEnv } from '../../helpers/env.ts';
import { expectSameViews } from '../../helpers/same-views.ts';
import { run } from '../../../ops/lib/process.ts';
import { runOpsCli } from '../../helpers/ops-cli.ts';
import { TestService } from '../../helpers/service.ts';

/** The lines of a file, decompressed when it is .bz2, sorted. */
async function sortedLines(file: string): Promise<string[]> {
  const { stdout } = await run('bzip2', ['-dc', file]);
  return stdout.split('\n').filter(Boolean).sort();
}

/**
 * A keyspace full of awkward data (duplicates, conflicting variants, halves in either order, ends
 * before starts, fractions of seconds) is exported with the CLI and restored with `npm run load --
 * --bulk` into an empty keyspace: every window of both starts views, for every country, and every
 * player's history then answer the same from both, and exporting the copy gives the same facts.
 */
describe('exporting a keyspace and restoring it into an empty one', function () {
  this.timeout(300_000);
  let source: TestService;
  let copy: TestService;
  let dir: string;
  let exported: string;
  const players = new Set<string>();
  const countries = new Set<string>();
  const exportEnv = (service: TestService) => processEnv(service.config, 0);

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-restore-'));
    const random = new Random(26);
    const events = random.shuffle(awkwardEvents(random, Date.now(), 600)).map((g) => g.event);
    for (const e of events) {
      players.add(e.player_id);
      if (e.country) countries.add(e.country.toLowerCase());
    }
    const input = path.join(dir, 'input.jsonl');
    await writeLines(
      input,
      events.map((e) => JSON.stringify(e)),
    );
    source = await TestService.start();
    copy = await TestService.start();
    const loaded = await loadFileInBulk({
      file: input,
      url: source.api.url,
      concurrency: 2,
      eventsPerBatch: 200,
      rebaseToNow: false,
    });
    expect(loaded.tally.lost).to.equal(0);
    await source.drained(120_000);
    exported = path.join(dir, 'facts.jsonl.bz2');
  });
  after(async () => {
    // One after the other: two keyspaces dropped at once can outlast a schema change's timeout.
    await source.close();
    await copy.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown option, a missing keyspace and an unwritable path, clearly', async () => {
    const unknown = await runOpsCli(
      'ops/export.ts',
      ['--out', exported, '--bogus'],
      exportEnv(source),
    );
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain("Unknown option '--bogus'").and.contain('usage:');

    const missing = await runOpsCli(
      'ops/export.ts',
      ['--out', exported, '--keyspace', 'no_such_keyspace'],
      exportEnv(source),
    );
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('keyspace no_such_keyspace does not exist');

    const unwritable = path.join(dir, 'no-such-dir', 'facts.jsonl');
    const denied = await runOpsCli('ops/export.ts', ['--out', unwritable], exportEnv(source));
    expect(denied.code).to.equal(1);
    expect(denied.stderr).to.contain(`cannot write ${unwritable}.partial`);
    expect(fs.existsSync(exported)).to.be.false;
  });

  it('writes every stored fact to a .bz2 file in the loader’s format', async () => {
    const run = await runOpsCli('ops/export.ts', ['--out', exported], exportEnv(source));
    expect(run.stderr).to.equal('');
    expect(run.code).to.equal(0);
    expect(run.stdout).to.match(/exported [\d,]+ facts of test_\w+ to .*facts\.jsonl\.bz2/);
    expect(fs.existsSync(`${exported}.partial`)).to.be.false;
    const lines = await sortedLines(exported);
    const stored = await source.ks.client.execute(
      `SELECT COUNT(*) AS n FROM ${source.ks.keyspace}.sessions_by_id`,
    );
    expect(lines.length)
      .to.equal(Number(stored.first().get('n')))
      .and.be.greaterThan(1000);
    const first = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(Object.keys(first)).to.include.members(['player_id', 'event', 'session_id', 'ts']);
  });

  it('restores into an empty keyspace views equal to the source’s, window by window and player by player', async () => {
    const run = await runOpsCli(
      'ops/load.ts',
      [exported, '--bulk', '--url', copy.api.url, '--wait'],
      {},
    );
    expect(run.stdout).to.contain('✔ nothing lost');
    expect(run.code).to.equal(0);
    await copy.drained(120_000);
    const { requests } = await expectSameViews(
      getter(() => source.api.url),
      getter(() => copy.api.url),
      countries,
      players,
    );
    expect(requests).to.be.greaterThan(players.size + countries.size * 10);
  });

  it('gives back the same facts when the copy is exported in turn', async () => {
    const again = path.join(dir, 'again.jsonl.bz2');
    const run = await runOpsCli('ops/export.ts', ['--out', again], exportEnv(copy));
    expect(run.code).to.equal(0);
    expect(await sortedLines(again)).to.deep.equal(await sortedLines(exported));
  });
});
