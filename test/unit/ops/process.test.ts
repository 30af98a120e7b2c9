import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { readPid, removePidFile } from '../../../ops/lib/process.ts';

describe('pid files', () => {
  let dir: string;
  let pidFile: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-pid-'));
    pidFile = path.join(dir, 'x.pid');
    fs.writeFileSync(pidFile, `${process.pid}\n`);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('name a live process only when its command line is the expected one', () => {
    expect(readPid(pidFile)).to.equal(process.pid);
    expect(readPid(pidFile, 'org.apache.cassandra.service.CassandraDaemon')).to.be.undefined;
  });

  it('are removed only by whoever stopped the process they name', () => {
    removePidFile(pidFile, process.pid + 1);
    expect(fs.existsSync(pidFile)).to.be.true;
    removePidFile(pidFile, process.pid);
    expect(fs.existsSync(pidFile)).to.be.false;
  });
});
