import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { PublicEvent } from '../../../ops/data/event-format.ts';
import { formatLine } from '../../../ops/data/event-format.ts';
import { EventGenerator } from '../../../ops/data/generator.ts';
import { loadFile, type LoadResult } from '../../../ops/data/loader.ts';
import { writeLines } from '../../../ops/data/write-lines.ts';
import { freePort } from '../../../ops/lib/free-port.ts';
import { TestService } from '../../helpers/service.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
// Like the public data set: a month that ended long before the retention began.
const END = '2016-12-01T00:00:00';

/** Runs one of the ops CLIs as `npm run` would, and gives back its exit code and output. */
function runCli(script: string, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

function readEvents(file: string): PublicEvent[] {
  return fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PublicEvent);
}

function startsByCountry(events: PublicEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) if (e.country) counts.set(e.country, (counts.get(e.country) ?? 0) + 1);
  return counts;
}

interface ApiSession {
  session_id: string;
  country: string;
  start_ts: string;
  end_ts: string;
  duration_seconds: number;
}

describe('loading generated files into the service', function () {
  this.timeout(180_000);
  let service: TestService;
  let dir: string;
  let plainFile: string;
  let plain: PublicEvent[];
  let loaded: LoadResult;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-generated-'));
    plainFile = path.join(dir, 'plain.jsonl');
    const generator = new EventGenerator({
      events: 2000,
      days: 30,
      seed: 11,
      endMs: Date.parse(`${END}Z`),
    });
    await writeLines(plainFile, [...generator.events()].map(formatLine));
    plain = readEvents(plainFile);
    service = await TestService.start();
  });
  after(async () => {
    await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts every event of a 2016 file moved to now with --rebase-to-now', async () => {
    loaded = await loadFile({
      file: plainFile,
      url: service.api.url,
      concurrency: 8,
      batchSize: 10,
      rebaseToNow: true,
    });
    expect(loaded.tally).to.include({
      read: 2000,
      accepted: 2000,
      lost: 0,
      batches: 200,
      rejectedTotal: 0,
    });
    await service.drained(60_000);
  });

  it('counts as many starts per country over a year as the file has', async () => {
    const { body } = await service.get<{
      total: number;
      countries: { country: string; starts: number }[];
    }>('/v1/countries/starts?hours=8760');
    expect(body.total).to.equal(plain.filter((e) => e.event === 'start').length);
    expect(new Map(body.countries.map((c) => [c.country, c.starts]))).to.deep.equal(
      startsByCountry(plain),
    );
  });

  it("lists players' completed sessions as the file has them, every one moved by the same offset", async () => {
    const halves = new Map<string, { start?: PublicEvent; end?: PublicEvent }>();
    for (const e of plain) halves.set(e.session_id, { ...halves.get(e.session_id), [e.event]: e });
    const ms = (ts: string) => Date.parse(ts.endsWith('Z') ? ts : `${ts}Z`);
    const players = [...new Set(plain.map((e) => e.player_id))].slice(0, 5);
    for (const player of players) {
      const expected = [...halves.values()]
        .filter((h) => h.start?.player_id === player && h.end)
        .map((h) => ({
          session_id: h.start!.session_id,
          country: h.start!.country,
          end: ms(h.end!.ts),
          duration_seconds: (ms(h.end!.ts) - ms(h.start!.ts)) / 1000,
        }))
        .sort((a, b) => b.end - a.end || a.session_id.localeCompare(b.session_id))
        .slice(0, 20);
      const { body } = await service.get<{ sessions: ApiSession[] }>(
        `/v1/players/${player}/sessions`,
      );
      expect(body.sessions.map((s) => s.session_id)).to.deep.equal(
        expected.map((s) => s.session_id),
      );
      body.sessions.forEach((s, i) => {
        expect(s.country).to.equal(expected[i]!.country);
        expect(s.duration_seconds).to.equal(expected[i]!.duration_seconds);
        expect(ms(s.end_ts) - expected[i]!.end).to.equal(loaded.offsetMs);
      });
    }
  });

  it('loads a generated .jsonl.bz2 file through the CLIs, waits for every batch, and exits 0', async () => {
    const file = path.join(dir, 'second.jsonl');
    const generated = await runCli('ops/generate.ts', [
      '--events',
      '2000',
      '--days',
      '30',
      '--seed',
      '12',
      '--end',
      END,
      '--out',
      file,
    ]);
    expect(generated.code).to.equal(0);
    expect(generated.stdout).to.contain('2,000 events');
    const second = readEvents(file);
    execFileSync('bzip2', [file]);

    const run = await runCli('ops/load.ts', [
      `${file}.bz2`,
      '--url',
      service.api.url,
      '--rebase-to-now',
      '--wait',
    ]);
    expect(run.stdout).to.contain('accepted     2,000').and.contain('200 batches done, 0 failed');
    expect(run.code).to.equal(0);
    await service.drained(60_000);
    const { body } = await service.get<{ total: number }>('/v1/countries/starts?hours=8760');
    const starts = (events: PublicEvent[]) => events.filter((e) => e.event === 'start').length;
    expect(body.total).to.equal(starts(plain) + starts(second));
  });

  it('ends non-zero and reports every event lost when nothing listens at the URL', async () => {
    const run = await runCli('ops/load.ts', [
      plainFile,
      '--url',
      `http://127.0.0.1:${await freePort()}`,
      '--retries',
      '1',
    ]);
    expect(run.code).to.equal(1);
    expect(run.stdout)
      .to.contain('accepted     0')
      .and.match(/lost {9}2,000 \(/);
    expect(run.stdout).to.contain('✖ not everything was delivered');
  });
});
