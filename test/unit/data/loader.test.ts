import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { loadFile, type LoadOptions } from '../../../ops/data/loader.ts';
import {
  ScriptedServer,
  type RecordedRequest,
  type ScriptedAnswer,
} from '../../helpers/scripted-server.ts';

const NOW = Date.parse('2026-11-23T12:00:00.400Z');

function event(i: number, ts: string) {
  return { player_id: `p${i % 7}`, country: 'FI', event: 'start', session_id: `s${i}`, ts };
}

/** Accepts every batch like the service does, numbering the batches. */
const acceptAll = (request: RecordedRequest, n: number): ScriptedAnswer => ({
  status: 202,
  body: {
    batch_id: `b${n}`,
    accepted: (JSON.parse(request.body) as unknown[]).length,
    rejected: [],
  },
});

describe('loading a file into the service', () => {
  let dir: string;
  let server: ScriptedServer | undefined;
  const options = (file: string, url: string, extra: Partial<LoadOptions> = {}): LoadOptions => ({
    file: path.join(dir, file),
    url,
    concurrency: 4,
    batchSize: 10,
    rebaseToNow: false,
    now: () => NOW,
    policy: { retries: 1, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
    ...extra,
  });
  const posted = () =>
    server!.requests.flatMap((r) => JSON.parse(r.body) as Record<string, unknown>[]);

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loader-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('posts every event once, in batches of ten, each batch under its own Idempotency-Key', async () => {
    const events = Array.from({ length: 95 }, (_, i) => event(i, '2026-11-20T10:00:00'));
    fs.writeFileSync(path.join(dir, 'e.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
    server = await ScriptedServer.start(acceptAll);
    const result = await loadFile(options('e.jsonl', server.url, { keepBatchIds: true }));
    expect(
      server.requests.map((r) => (JSON.parse(r.body) as unknown[]).length).sort((a, b) => a - b),
    ).to.deep.equal([5, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    expect(
      posted()
        .map((e) => e.session_id)
        .sort(),
    ).to.deep.equal(events.map((e) => e.session_id).sort());
    expect(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size).to.equal(10);
    expect(result.tally).to.include({ read: 95, accepted: 95, lost: 0, batches: 10 });
    expect(result.tally.batchIds).to.have.length(10);
  });

  it('never has more batches in flight than its concurrency', async () => {
    const events = Array.from({ length: 200 }, (_, i) => event(i, '2026-11-20T10:00:00'));
    fs.writeFileSync(path.join(dir, 'e.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
    server = await ScriptedServer.start((request, n) => ({
      ...acceptAll(request, n),
      delayMs: 20,
    }));
    const result = await loadFile(options('e.jsonl', server.url, { concurrency: 3 }));
    expect(result.tally.accepted).to.equal(200);
    expect(server.maxInFlight).to.equal(3);
  });

  it('with --rebase-to-now, moves every ts by one offset so that the newest becomes now', async () => {
    const times = ['2016-11-02T23:41:00', '2016-12-01T22:05:29', '2016-11-16T18:01:37'];
    fs.writeFileSync(
      path.join(dir, 'old.jsonl'),
      times.map((ts, i) => JSON.stringify(event(i, ts))).join('\n'),
    );
    server = await ScriptedServer.start(acceptAll);
    const result = await loadFile(options('old.jsonl', server.url, { rebaseToNow: true }));
    const sent = new Map(posted().map((e) => [e.session_id, e.ts as string]));
    expect(sent.get('s1')).to.equal('2026-11-23T12:00:00');
    times.forEach((ts, i) => {
      const shifted = sent.get(`s${i}`)!;
      expect(shifted).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
      expect(Date.parse(`${shifted}Z`) - Date.parse(`${ts}Z`)).to.equal(result.offsetMs);
    });
  });

  it('counts a line that is not JSON as rejected without sending it, and skips blank lines', async () => {
    const good = JSON.stringify(event(1, '2026-11-20T10:00:00'));
    fs.writeFileSync(path.join(dir, 'mixed.jsonl'), `${good}\n\n{"player_id": \n   \n${good}\n`);
    server = await ScriptedServer.start(acceptAll);
    const result = await loadFile(options('mixed.jsonl', server.url));
    expect(result.tally.read).to.equal(3);
    expect(result.tally.rejected).to.deep.equal(new Map([['invalid_json', 1]]));
    expect(posted()).to.have.length(2);
  });

  it('gives up on a service that keeps failing, and counts every event of the file lost', async () => {
    const events = Array.from({ length: 500 }, (_, i) => event(i, '2026-11-20T10:00:00'));
    fs.writeFileSync(path.join(dir, 'e.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
    server = await ScriptedServer.start(() => ({ status: 500, body: {} }));
    const result = await loadFile(options('e.jsonl', server.url, { giveUpAfter: 5 }));
    expect(result.gaveUp).to.be.true;
    expect(result.tally).to.include({ read: 500, accepted: 0, lost: 500, batches: 50 });
    expect(result.tally.unsentBatches).to.be.above(40);
    expect(server.requests.length).to.be.below(10);
    expect(result.tally.lostReasons).to.deep.equal(
      new Map([['HTTP 500', 50 - result.tally.unsentBatches]]),
    );
  });

  it('keeps going after a lost batch when the next ones get through', async () => {
    const events = Array.from({ length: 50 }, (_, i) => event(i, '2026-11-20T10:00:00'));
    fs.writeFileSync(path.join(dir, 'e.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
    server = await ScriptedServer.start((request, n) =>
      n === 1 || n === 3 ? { status: 422, body: {} } : acceptAll(request, n),
    );
    const result = await loadFile(
      options('e.jsonl', server.url, { concurrency: 1, giveUpAfter: 2 }),
    );
    expect(result.gaveUp).to.be.false;
    expect(result.tally).to.include({ accepted: 30, lost: 20, lostBatches: 2, unsentBatches: 0 });
  });

  it('refuses a file it cannot read to the end before sending anything from it', async () => {
    const events = Array.from({ length: 50 }, (_, i) => event(i, '2026-11-20T10:00:00'));
    fs.writeFileSync(path.join(dir, 'e.jsonl'), events.map((e) => JSON.stringify(e)).join('\n'));
    execFileSync('bzip2', [path.join(dir, 'e.jsonl')]);
    const bz = fs.readFileSync(path.join(dir, 'e.jsonl.bz2'));
    fs.writeFileSync(path.join(dir, 'cut.jsonl.bz2'), bz.subarray(0, bz.length - 20));
    server = await ScriptedServer.start(acceptAll);
    const result = await loadFile(options('cut.jsonl.bz2', server.url)).catch(
      (err: unknown) => err,
    );
    expect(result).to.be.instanceOf(Error);
    expect((result as Error).message).to.contain('bzip2 could not decompress');
    expect(server.requests).to.have.length(0);
  });
});
