import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { writeLines } from '../../../ops/data/write-lines.ts';

describe('writing generated lines to a file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'write-lines-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('ends every line with a newline, across many chunks, and reports the bytes written', async () => {
    const file = path.join(dir, 'out.jsonl');
    const lines = Array.from({ length: 10_000 }, (_, i) => `{"n": ${i}}`);
    const { bytes } = await writeLines(file, lines);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).to.equal(`${lines.join('\n')}\n`);
    expect(bytes).to.equal(Buffer.byteLength(text));
    expect(fs.readdirSync(dir)).to.deep.equal(['out.jsonl']);
  });

  it('leaves no file behind when the lines fail half way', async () => {
    const file = path.join(dir, 'out.jsonl');
    function* failing(): Generator<string> {
      for (let i = 0; i < 5000; i++) yield `line ${i}`;
      throw new Error('generator broke');
    }
    let error: unknown;
    await writeLines(file, failing()).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(Error).with.property('message', 'generator broke');
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });
});
