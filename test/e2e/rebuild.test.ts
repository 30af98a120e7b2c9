import { expect } from 'chai';
import { Random } from '../../ops/data/random.ts';
import { runRebuild } from '../../ops/rebuild/compose-rebuild.ts';
import { CHECKPOINT_SETTING, checkpointSetting } from '../../ops/rebuild/run-rebuild.ts';
import { parseCheckpoint } from '../../ops/rebuild/checkpoint.ts';
import { tableOf, type RebuildableView } from '../../src/domain/generations.ts';
import { COMPLETED_SESSIONS_TABLE } from '../../src/storage/completed-sessions.ts';
import { encodeCounts } from '../../src/storage/count-vector-codec.ts';
import { FIRST_TOKEN } from '../../src/storage/fact-scan.ts';
import { KeyspaceSettings } from '../../src/storage/keyspace-settings.ts';
import { startCountTableNames } from '../../src/storage/start-count-generations.ts';
import { ViewGenerations } from '../../src/storage/view-generations.ts';
import { validAwkwardBatches } from '../helpers/awkward-events.ts';
import { postAll } from '../helpers/client.ts';
import {
  expectSessionsMatch,
  expectStartsMatch,
  expectViewsMatch,
} from '../helpers/compare-views.ts';
import { ViewModel } from '../helpers/model.ts';
import { processEnv } from '../helpers/env.ts';
import { runOpsCli } from '../helpers/ops-cli.ts';
import { TestService } from '../helpers/service.ts';

/**
 * `npm run rebuild -- completed-sessions|start-counts|all` in process, against an API and two
 * workers taking live traffic: a read model is damaged, rebuilt into a new generation (once
 * interrupted and resumed), reads switch, and both views equal what the accepted events imply —
 * events that arrived during the rebuild included, each once.
 */
describe('rebuilding a read model from the facts, online', function () {
  this.timeout(300_000);
  let service: TestService;
  const model = new ViewModel();
  let seed = 2600;

  before(async () => {
    // A process follows a generation change within 200 ms, so the rebuild's settling is short.
    service = await TestService.start({ workers: 2, overrides: { GENERATIONS_MAX_AGE_MS: '200' } });
    await post(600, 4);
    await service.drained(120_000);
  });
  after(async () => {
    await (service as TestService | undefined)?.close();
  });

  const get = <T>(path: string) => service.get<T>(path);
  const table = (generation: number) =>
    `${service.ks.keyspace}.${tableOf(COMPLETED_SESSIONS_TABLE, generation)}`;
  const cql = (query: string, params: unknown[] = []) =>
    service.ks.client.execute(query, params, { prepare: true });

  function post(sessions: number, concurrency: number) {
    const batches = validAwkwardBatches(new Random(seed++), Date.now(), sessions);
    return postAll(service.api.url, batches, {
      concurrency,
      onAccepted: (posted) => model.addAccepted(posted),
    });
  }

  function rebuild(
    signal: AbortSignal,
    onPage: () => void = () => undefined,
    view: RebuildableView = 'completed-sessions',
  ) {
    return runRebuild(service.config, service.ks.client, view, {
      keyspace: service.ks.keyspace,
      rowsPerSecond: 20_000,
      graceMs: 500,
      signal,
      pageRows: 300,
      log: () => undefined,
      onProgress: onPage,
    });
  }

  async function generations(view: RebuildableView = 'completed-sessions') {
    return new ViewGenerations(service.ks.client, service.ks.keyspace).get(view);
  }

  async function rowsIn(generation: number): Promise<number> {
    const result = await cql(`SELECT count(*) AS n FROM ${table(generation)}`);
    return Number(result.rows[0]?.get('n'));
  }

  it('repairs deleted and altered rows under live traffic, resumes after an interruption, and switches reads to the new generation', async () => {
    const players = model.players();
    expect(players.length).to.be.at.least(30);
    // Rows deleted, rows no fact completes, rows altered.
    for (const [i, player] of players.entries()) {
      if (i % 3 === 0) await cql(`DELETE FROM ${table(0)} WHERE player_id = ?`, [player]);
      else if (i % 3 === 1)
        await cql(
          `INSERT INTO ${table(0)} (player_id, end_ts, session_id, start_ts, country) VALUES (?, ?, ?, ?, 'ZZ')`,
          [player, new Date(), `never-${i}`, new Date(Date.now() - 60_000)],
        );
    }
    const some = await cql(`SELECT player_id, end_ts, session_id FROM ${table(0)} LIMIT 200`);
    for (const row of some.rows)
      await cql(
        `UPDATE ${table(0)} SET country = 'ZZ' WHERE player_id = ? AND end_ts = ? AND session_id = ?`,
        [row.get('player_id'), row.get('end_ts'), row.get('session_id')],
      );
    await expectSessionsMatch(get, model).then(
      () => expect.fail('the damaged read model still equals the model'),
      (err: unknown) => expect(String(err)).to.match(/player/),
    );

    const live = post(500, 2);
    const first = new AbortController();
    let pages = 0;
    const interrupted = await rebuild(first.signal, () => {
      if (++pages === 3) first.abort();
    }).then(
      () => 'finished',
      () => 'stopped',
    );
    expect(interrupted).to.equal('stopped');
    const saved = parseCheckpoint(
      await new KeyspaceSettings(service.ks.client, service.ks.keyspace).get(CHECKPOINT_SETTING),
    );
    expect(saved?.phase).to.equal('scan');
    expect(saved?.token).to.not.equal(FIRST_TOKEN);
    expect(await generations()).to.deep.equal({ read: 0, write: [0, 1] });

    await rebuild(new AbortController().signal);
    await live;
    await service.drained(120_000);
    expect(await generations()).to.deep.equal({ read: 1, write: [1] });
    expect(await rowsIn(0), 'the old generation is emptied').to.equal(0);
    await expectViewsMatch(get, model, model.players().length);
  });

  it('rebuilds a truncated table under live traffic back into the first table', async () => {
    await cql(`TRUNCATE ${table(1)}`);
    const live = post(400, 2);
    await rebuild(new AbortController().signal);
    await live;
    await service.drained(120_000);
    expect(await generations()).to.deep.equal({ read: 2, write: [2] });
    expect(await rowsIn(1), 'the old generation is emptied').to.equal(0);
    await expectViewsMatch(get, model, model.players().length);
  });

  it('repairs deleted, altered and truncated counts under live traffic, resumes after an interruption, and switches reads to the new generation', async () => {
    const [seconds, rollups, hourly] = startCountTableNames(service.ks.keyspace, 0) as [
      string,
      string,
      string,
    ];
    const countries = [...model.countries()].sort();
    expect(countries.length).to.be.at.least(3);
    // Rows deleted (a country's hours), counts altered (hours and tree nodes), a table truncated.
    await cql(`DELETE FROM ${hourly} WHERE country = ?`, [countries[0]]);
    const hours = await cql(`SELECT hour FROM ${hourly} WHERE country = ?`, [countries[1]]);
    for (const row of hours.rows)
      await cql(`UPDATE ${hourly} SET starts = 999 WHERE country = ? AND hour = ?`, [
        countries[1],
        row.get('hour'),
      ]);
    const nodes = await cql(`SELECT level_group, block, span, start FROM ${rollups} LIMIT 100`);
    for (const row of nodes.rows)
      await cql(
        `UPDATE ${rollups} SET counts = ? WHERE level_group = ? AND block = ? AND span = ? AND start = ?`,
        [
          encodeCounts(new Map([[countries[2]!, 7]])),
          row.get('level_group'),
          row.get('block'),
          row.get('span'),
          row.get('start'),
        ],
      );
    await cql(`TRUNCATE ${seconds}`);
    await expectStartsMatch(get, model).then(
      () => expect.fail('the damaged read model still equals the model'),
      (err: unknown) => expect(String(err)).to.match(/expected/),
    );

    const live = post(500, 2);
    const first = new AbortController();
    let pages = 0;
    const interrupted = await rebuild(
      first.signal,
      () => {
        if (++pages === 3) first.abort();
      },
      'start-counts',
    ).then(
      () => 'finished',
      () => 'stopped',
    );
    expect(interrupted).to.equal('stopped');
    const saved = parseCheckpoint(
      await new KeyspaceSettings(service.ks.client, service.ks.keyspace).get(
        checkpointSetting('start-counts'),
      ),
    );
    expect(saved?.phase).to.equal('scan');
    expect(saved?.token).to.not.equal(FIRST_TOKEN);
    expect(await generations('start-counts')).to.deep.equal({ read: 0, write: [0, 1] });

    await rebuild(new AbortController().signal, () => undefined, 'start-counts');
    await live;
    await service.drained(120_000);
    expect(await generations('start-counts')).to.deep.equal({ read: 1, write: [1] });
    for (const t of [seconds, rollups, hourly]) {
      const left = await cql(`SELECT count(*) AS n FROM ${t}`);
      expect(Number(left.rows[0]?.get('n')), `${t} is emptied`).to.equal(0);
    }
    await expectViewsMatch(get, model, model.players().length);
  });

  it('runs the same from the command line, both views with all, and refuses an unknown view and a missing keyspace clearly', async () => {
    const env = { ...processEnv(service.config, 0), GENERATIONS_MAX_AGE_MS: '200' };
    const unknown = await runOpsCli('ops/rebuild.ts', ['sessions'], env);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.contain('unknown read model sessions').and.contain('usage:');
    const missing = await runOpsCli(
      'ops/rebuild.ts',
      ['all', '--keyspace', 'no_such_keyspace'],
      env,
    );
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.contain('keyspace no_such_keyspace does not exist');

    const run = await runOpsCli('ops/rebuild.ts', ['all', '--grace-seconds', '0'], env);
    expect(run.stderr).to.equal('');
    expect(run.code).to.equal(0);
    expect(run.stdout).to.contain('reads switched to generation 3');
    expect(run.stdout).to.contain('rebuilt completed-sessions').and.contain('rebuilt start-counts');
    expect(await generations()).to.deep.equal({ read: 3, write: [3] });
    expect(await generations('start-counts')).to.deep.equal({ read: 2, write: [2] });
    await expectViewsMatch(get, model, model.players().length);
  });
});
