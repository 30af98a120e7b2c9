import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { waitFor } from '../../../ops/lib/process.ts';
import { openLines } from '../../../ops/data/line-source.ts';
import { OpsError } from '../../../ops/lib/errors.ts';

async function readAll(file: string): Promise<string[]> {
  const out: string[] = [];
  for await (const line of (await openLines(file)).lines()) out.push(line);
  return out;
}

describe('reading an event file line by line', () => {
  let dir: string;
  const lines = Array.from(
    { length: 5000 },
    (_, i) => `{"n": ${i}, "text": "${'x'.repeat(i % 97)}"}`,
  );
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'line-source-'));
    fs.writeFileSync(path.join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
    fs.writeFileSync(path.join(dir, 'events.ndjson'), lines.join('\r\n'));
    execFileSync('bzip2', ['-k', path.join(dir, 'events.jsonl')]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('yields every line of a .jsonl file, and tells how far into the file it is', async () => {
    const source = await openLines(path.join(dir, 'events.jsonl'));
    const seen: string[] = [];
    for await (const line of source.lines()) seen.push(line);
    expect(seen).to.deep.equal(lines);
    expect(source.bytesRead()).to.equal(source.totalBytes);
  });

  it('reads CRLF line ends and a last line without a newline', async () => {
    expect(await readAll(path.join(dir, 'events.ndjson'))).to.deep.equal(lines);
  });

  it('decompresses a .jsonl.bz2 file to the same lines', async () => {
    expect(await readAll(path.join(dir, 'events.jsonl.bz2'))).to.deep.equal(lines);
  });

  it('can be read twice, for the first pass and the load', async () => {
    const source = await openLines(path.join(dir, 'events.jsonl.bz2'));
    for (let pass = 0; pass < 2; pass++) {
      let n = 0;
      for await (const line of source.lines()) n += line.startsWith('{') ? 1 : 0;
      expect(n).to.equal(5000);
    }
  });

  it('fails with the reason when a .bz2 file is corrupt', async () => {
    const corrupt = path.join(dir, 'corrupt.jsonl.bz2');
    const bytes = fs.readFileSync(path.join(dir, 'events.jsonl.bz2'));
    bytes.fill(0x55, 100, 200);
    fs.writeFileSync(corrupt, bytes);
    let error: unknown;
    await readAll(corrupt).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(OpsError);
    expect((error as Error).message).to.match(
      /bzip2 could not decompress .*corrupt\.jsonl\.bz2: bzip2: Data integrity error/,
    );
  });

  it('stops bzip2 when the reader stops early', async () => {
    const source = await openLines(path.join(dir, 'events.jsonl.bz2'));
    let n = 0;
    for await (const line of source.lines()) if (line && ++n === 10) break;
    expect(n).to.equal(10);
    const children = () =>
      execFileSync('ps', ['-o', 'comm=', '--ppid', String(process.pid)], { encoding: 'utf8' });
    await waitFor(() => !children().includes('bzip2'), 2000, 20);
    expect(children()).to.not.contain('bzip2');
  });

  it('says which file is missing', async () => {
    let error: unknown;
    await openLines(path.join(dir, 'missing.jsonl')).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(OpsError);
    expect((error as Error).message)
      .to.contain('missing.jsonl')
      .and.contain('ENOENT');
  });
});
