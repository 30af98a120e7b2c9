import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { LocalCassandra } from '../../../ops/lib/cassandra-local.ts';
import { loadLocalSettings } from '../../../ops/lib/local-settings.ts';
import { isAlive } from '../../../ops/lib/process.ts';

/**
 * A throwaway node exactly as `npm start` runs it, in its own directory on 127.0.0.3 (the shared
 * node on 127.0.0.1 is never touched): Ctrl-C on `npm start` and the same command again at once
 * means one process stops the node while another starts it.
 */
describe('the local Cassandra stopped and started again at once', function () {
  this.timeout(300_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pss-cassandra-restart-'));
  const options = { address: '127.0.0.3', dir, heapMb: 512 };
  const node = new LocalCassandra(loadLocalSettings(), () => undefined, options);
  // The second `npm start`: another process, knowing the node only by its directory.
  const again = new LocalCassandra(loadLocalSettings(), () => undefined, options);

  after(async () => {
    await again.stop();
    await node.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts a fresh node instead of taking the one still shutting down for a running one', async () => {
    expect(await node.start()).to.be.true;
    const first = node.pid()!;

    const stopping = node.stop(); // SIGTERM is on its way; the node is shutting down
    expect(await again.start()).to.equal(true, 'started a node of its own');
    const second = again.pid();
    expect(isAlive(first)).to.be.false;
    expect(second).to.be.a('number').and.not.equal(first);
    expect(await again.isUp()).to.be.true;

    expect(await stopping).to.be.true;
    expect(again.pid(), "the old stop leaves the new node's pid file alone").to.equal(second);
  });

  it('returns from a stop only once the node has exited, and starts again right after', async () => {
    const pid = again.pid()!;
    expect(await again.stop()).to.be.true;
    expect(isAlive(pid)).to.be.false;
    expect(await again.start()).to.be.true;
    expect(await again.isUp()).to.be.true;
  });
});
