import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadFileInBulk } from '../../../ops/data/bulk-loader.ts';
import { Random } from '../../../ops/data/random.ts';
import { writeLines } from '../../../ops/data/write-lines.ts';
import {
  createErasuresQueue,
  playerHash,
  type ErasureStatus,
} from '../../../src/queue/erasures-queue.ts';
import { bullConnection, workerRedisOptions } from '../../../src/queue/redis-connections.ts';
import { readAll } from '../../../src/storage/read-all.ts';
import { awkwardEvents, validAwkwardBatches } from '../../helpers/awkward-events.ts';
import { postAll } from '../../helpers/client.ts';
import { expectViewsMatch, getter } from '../../helpers/compare-views.ts';
import { endEvent, startEvent, type RawEvent } from '../../helpers/events.ts';
import { ViewModel } from '../../helpers/model.ts';
import { TestService } from '../../helpers/service.ts';

/** Every row of every table of the keyspace in which some value is exactly `text`. */
async function rowsHolding(service: TestService, text: string): Promise<string[]> {
  const { client, keyspace } = service.ks;
  const tables = await client.execute(
    'SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?',
    [keyspace],
  );
  const found: string[] = [];
  for (const t of tables.rows) {
    const table = t.get('table_name') as string;
    for (const row of await readAll(client, `SELECT * FROM ${keyspace}.${table}`, [])) {
      if (row.values().some((v) => v === text || (Buffer.isBuffer(v) && v.includes(text))))
        found.push(`${table}: ${JSON.stringify(row)}`);
    }
  }
  return found;
}

/**
 * A player with every kind of session — completed, never ended, never started, ended by another
 * player, a start in the hottest second — among a few hundred others full of awkward cases is
 * erased through the API. Afterwards no row of any table holds the player's id, the player's
 * history is empty, and both views of every other player and country equal the model of the
 * events without the player's.
 */
describe('erasing a player', function () {
  this.timeout(300_000);
  let service: TestService;
  let dir: string;
  const random = new Random(2626);
  const now = Date.now();
  const victim = `victim-${random.hex(8)}`;
  const accepted: RawEvent[] = [];
  const withoutVictim = new ViewModel();
  let erasureId: string;

  const erase = async (player: string) => {
    const response = await fetch(`${service.api.url}/v1/players/${player}`, { method: 'DELETE' });
    return {
      status: response.status,
      location: response.headers.get('location'),
      body: (await response.json()) as Record<string, unknown>,
    };
  };
  const statusOf = async (id: string) => {
    const response = await fetch(`${service.api.url}/v1/erasures/${id}`);
    return { status: response.status, body: (await response.json()) as ErasureStatus };
  };
  const finished = async (id: string): Promise<ErasureStatus> => {
    for (;;) {
      const { body } = await statusOf(id);
      if (body.state === 'done' || body.state === 'failed') return body;
      await new Promise((resolve) => setTimeout(resolve, 100)); // polling, as a client does
    }
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erase-'));
    const hotSecond = Math.floor(now / 1000) * 1000 - 90_000;
    const other = 'someone-else';
    const mine = [
      startEvent('victim-s1', victim, 'FI', hotSecond + 500),
      endEvent('victim-s1', victim, hotSecond + 60_000),
      startEvent('victim-s2', victim, 'SE', now - 3_600_000), // never ends
      endEvent('victim-s3', victim, now - 7_200_000), // never started
      startEvent('victim-s4', other, 'NO', now - 5_000_000), // ended by the victim
      endEvent('victim-s4', victim, now - 4_000_000),
      startEvent('victim-s5', victim, 'DE', now - 40 * 86_400_000),
      endEvent('victim-s5', victim, now - 40 * 86_400_000 + 600_000),
      startEvent('victim-s5', victim, 'DE', now - 40 * 86_400_000 + 1000), // a later variant
    ];
    const theirs = awkwardEvents(random, now, 500)
      .filter((g) => !g.mustReject)
      .map((g) => g.event);
    accepted.push(...random.shuffle([...theirs, ...mine]));
    for (const e of accepted) if (e.player_id !== victim) withoutVictim.add(e);
    const file = path.join(dir, 'events.jsonl');
    await writeLines(
      file,
      accepted.map((e) => JSON.stringify(e)),
    );
    service = await TestService.start({ overrides: { CASSANDRA_START_SHARDS: '2' } });
    const loaded = await loadFileInBulk({
      file,
      url: service.api.url,
      concurrency: 2,
      eventsPerBatch: 200,
      rebaseToNow: false,
    });
    expect(loaded.tally.lost).to.equal(0);
    expect(loaded.tally.accepted).to.equal(accepted.length);
    await service.drained(120_000);
  });
  after(async () => {
    await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds the player’s id in the facts and views before', async () => {
    const rows = await rowsHolding(service, victim);
    const tables = new Set(rows.map((r) => r.split(':')[0]));
    expect([...tables]).to.have.members([
      'sessions_by_id',
      'start_facts_by_shard',
      'completed_sessions_by_player',
    ]);
    const history = await service.get<{ sessions: unknown[] }>(`/v1/players/${victim}/sessions`);
    expect(history.body.sessions).to.have.length(2);
  });

  it('answers 202 with an erasure whose status ends done, with what it removed, under live traffic', async () => {
    // Other players' events, many in the seconds the erasure recounts, go on meanwhile.
    const live = postAll(service.api.url, validAwkwardBatches(new Random(7), now, 200), {
      concurrency: 4,
      onAccepted: (posted) => withoutVictim.addAccepted(posted),
    });
    const answer = await erase(victim);
    expect(answer.status).to.equal(202);
    erasureId = answer.body.erasure_id as string;
    expect(answer.location).to.equal(`/v1/erasures/${erasureId}`);
    expect(answer.body).to.include({ state: 'queued', player_sha256: playerHash(victim) });
    const status = await finished(erasureId);
    await live;
    await service.drained(120_000);
    expect(status).to.include({
      state: 'done',
      player_sha256: playerHash(victim),
      sessions: 5,
      facts: 8,
      completed_rows: 2,
    });
  });

  it('leaves no row of any table holding the id, and no job holding it either', async () => {
    expect(await rowsHolding(service, victim)).to.deep.equal([]);
    const queue = createErasuresQueue(
      bullConnection(service.config.redis, workerRedisOptions()),
      service.config.queue,
    );
    try {
      const job = await queue.getJob(erasureId);
      expect(job?.data).to.deep.equal({
        player_sha256: playerHash(victim),
        requested_by: 'anonymous (AUTH=off)',
        requested_at: job?.data.requested_at,
      });
      expect(JSON.stringify(job?.progress)).not.to.contain(victim);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('answers an empty history for the player', async () => {
    const history = await service.get<{ sessions: unknown[] }>(`/v1/players/${victim}/sessions`);
    expect(history.status).to.equal(200);
    expect(history.body.sessions).to.deep.equal([]);
  });

  it('leaves every other player and every window equal to the model without the player', async () => {
    await expectViewsMatch(
      getter(() => service.api.url),
      withoutVictim,
      20,
    );
  });

  it('is idempotent: erasing again finds nothing and changes nothing', async () => {
    const again = await erase(victim);
    expect(again.status).to.equal(202);
    const status = await finished(again.body.erasure_id as string);
    expect(status).to.include({ state: 'done', sessions: 0, facts: 0, completed_rows: 0 });
    await expectViewsMatch(
      getter(() => service.api.url),
      withoutVictim,
      20,
    );
  });

  it('stores the player’s later events as usual', async () => {
    const start = startEvent('victim-later', victim, 'FI', now - 60_000);
    const end = endEvent('victim-later', victim, now - 30_000);
    const posted = await service.post([start, end]);
    expect(posted.status).to.equal(202);
    await service.drained(60_000);
    withoutVictim.add(start);
    withoutVictim.add(end);
    const history = await service.get<{ sessions: { session_id: string }[] }>(
      `/v1/players/${victim}/sessions`,
    );
    expect(history.body.sessions.map((s) => s.session_id)).to.deep.equal(['victim-later']);
    await expectViewsMatch(
      getter(() => service.api.url),
      withoutVictim,
      20,
    );
  });

  it('refuses a malformed player id and answers 404 for an unknown erasure', async () => {
    expect((await erase('a%20b')).status).to.equal(400);
    const unknown = await statusOf('erasure-00000000-0000-0000-0000-000000000000');
    expect(unknown.status).to.equal(404);
    expect(unknown.body).to.have.nested.property('error.code', 'erasure_not_found');
  });
});
