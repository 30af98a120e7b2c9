import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { loadFileInBulk, type BulkLoadOptions } from '../../../ops/data/bulk-loader.ts';
import { formatLine, formatTs, type PublicEvent } from '../../../ops/data/event-format.ts';
import { EventGenerator } from '../../../ops/data/generator.ts';
import { summaryLines } from '../../../ops/data/load-summary.ts';
import { Random } from '../../../ops/data/random.ts';
import { writeLines } from '../../../ops/data/write-lines.ts';
import { DAY_MS } from '../../../src/domain/duration.ts';
import { expectViewsMatch, getter } from '../../helpers/compare-views.ts';
import { ViewModel } from '../../helpers/model.ts';
import { addsByJob } from '../../helpers/queue-adds.ts';
import { TestService } from '../../helpers/service.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
// Like the public data set: a month long before the retention began, moved to now by the loader.
const END_MS = Date.parse('2016-12-01T00:00:00Z');

/**
 * A generated file made awkward: exact duplicates, conflicting duplicates (another ts or country
 * for a start) and a few events a retention older than the rest, in a file whose halves come in
 * either order. Both views must end up equal to the model of the file's accepted events, however
 * the file is loaded: interrupted and resumed, then loaded again whole.
 */
function awkwardFile(random: Random): string[] {
  const lines = [
    ...new EventGenerator({ events: 6000, days: 20, seed: 31, endMs: END_MS }).events(),
  ];
  const extra: PublicEvent[] = [];
  for (const e of random.shuffle([...lines]).slice(0, 300)) extra.push(e); // exact duplicates
  for (const e of lines.filter((l) => l.event === 'start').slice(0, 40)) {
    const ms = Date.parse(`${e.ts}Z`) + random.int(-3600, -1) * 1000; // earlier: never in the future
    extra.push({ ...e, ts: formatTs(ms / 1000) }, { ...e, country: random.pick(['FI', 'SE']) });
  }
  for (const e of lines.slice(0, 20))
    extra.push({ ...e, ts: formatTs((Date.parse(`${e.ts}Z`) - 400 * DAY_MS) / 1000) }); // expired
  const all = [...lines];
  for (const e of extra) all.splice(random.int(0, all.length), 0, e);
  return all.map(formatLine);
}

function runLoadCli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'ops/load.ts', ...args], {
      cwd: ROOT,
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

describe('loading a file in bulk, interrupted, resumed and loaded again', function () {
  this.timeout(300_000);
  let service: TestService;
  let dir: string;
  let file: string;
  let lines: string[];
  let offsetMs: number;
  const options = (): BulkLoadOptions => ({
    file,
    url: service.api.url,
    concurrency: 2,
    eventsPerBatch: 400,
    rebaseToNow: false,
  });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'load-bulk-'));
    file = path.join(dir, 'awkward.jsonl');
    lines = awkwardFile(new Random(17));
    await writeLines(file, lines);
    service = await TestService.start();
  });
  after(async () => {
    await service.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is a file with duplicates and with ends before their starts', () => {
    const seen = new Map<string, string>();
    let endFirst = 0;
    for (const line of lines) {
      const e = JSON.parse(line) as PublicEvent;
      if (!seen.has(e.session_id) && e.event === 'end') endFirst++;
      if (!seen.has(e.session_id)) seen.set(e.session_id, e.event);
    }
    expect(endFirst).to.be.greaterThan(500);
    expect(new Set(lines).size).to.be.below(lines.length - 250);
  });

  it('stops when interrupted, and says from which batch to resume', async () => {
    const interrupt = new AbortController();
    const first = await loadFileInBulk({
      ...options(),
      rebaseToNow: true,
      signal: interrupt.signal,
      onProgress: ({ phase, tally }) => {
        if (phase === 'load' && tally.batches >= 4) interrupt.abort();
      },
    });
    expect(first.interrupted).to.be.true;
    expect(first.tally.lost).to.equal(0);
    offsetMs = first.offsetMs!;
    expect(first.resume!.next).to.be.within(4, first.resume!.of - 5);
    expect(summaryLines(file, service.api.url, first).join('\n')).to.contain(
      `--bulk --events-per-batch 400 --resume-from ${first.resume!.next} --offset-seconds ${offsetMs / 1000}`,
    );

    const resumed = await loadFileInBulk({
      ...options(),
      offsetMs,
      resumeFrom: first.resume!.next,
    });
    expect(resumed.interrupted).to.be.false;
    expect(resumed.tally.lost).to.equal(0);
    expect(resumed.resume).to.deep.include({ next: first.resume!.of });
    expect(first.tally.accepted + resumed.tally.accepted).to.be.at.least(lines.length - 20);
    await service.drained(120_000);
  });

  it('takes the whole file again through the CLI without queueing a batch twice', async () => {
    const queued = async () =>
      [...(await addsByJob(service.config.redis, service.queue.keys.events)).values()].reduce(
        (a, b) => a + b,
        0,
      );
    const before = await queued();
    expect(before, 'jobs queued by the first loads').to.be.greaterThan(0);
    const run = await runLoadCli([
      file,
      '--url',
      service.api.url,
      '--bulk',
      '--events-per-batch',
      '400',
      '--offset-seconds',
      String(offsetMs / 1000),
      '--wait',
    ]);
    expect(run.stdout).to.contain('rejected     20 (expired 20)').and.contain('✔ nothing lost');
    expect(run.code).to.equal(0);
    expect(await queued(), 'jobs queued by the second load').to.equal(before);
    await service.drained(120_000);
  });

  it('ends with both views equal to the model of the file’s accepted events', async () => {
    const model = new ViewModel();
    const retainedFrom = Date.now() - service.config.events.retentionSeconds * 1000;
    for (const line of lines) {
      const e = JSON.parse(line) as PublicEvent;
      const ts = new Date(Date.parse(`${e.ts}Z`) + offsetMs).toISOString();
      if (Date.parse(ts) >= retainedFrom) model.add({ ...e, ts });
    }
    await expectViewsMatch(
      getter(() => service.api.url),
      model,
      100,
    );
  });
});
