import { expect } from 'chai';
import { parseTcpTable } from '../../../ops/bench/proc-sockets.ts';
import { countsBetween, requestsBetween } from '../../../ops/bench/table-metrics.ts';

describe('statement and request counts between snapshots', () => {
  it('gives what each table gained, leaving out the tables that gained nothing', () => {
    const before = new Map([
      ['a', 10],
      ['b', 5],
    ]);
    const after = new Map([
      ['a', 25],
      ['b', 5],
      ['c', 3],
    ]);
    expect(countsBetween(before, after)).to.deep.equal({ a: 15, c: 3 });
  });

  it('counts a new connection in full and a closed one as closed, not as negative', () => {
    const before = new Map([
      [1000, 50],
      [1001, 70],
    ]);
    const after = new Map([
      [1000, 80],
      [1002, 9],
    ]);
    expect(requestsBetween(before, after)).to.deep.equal({ requests: 39, connectionsClosed: 1 });
  });
});

describe('/proc/<pid>/net/tcp', () => {
  it('maps socket inodes to local ports', () => {
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:9436 0100007F:2352 01 00000000:00000000 00:00000000 00000000     0        0 48123 1 0000000000000000 20 4 30 10 -1',
      '   1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 0 1 0000000000000000 100 0 0 10 0',
    ].join('\n');
    expect([...parseTcpTable(text)]).to.deep.equal([[48123, 0x9436]]);
  });
});
