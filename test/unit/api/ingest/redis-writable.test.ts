import { expect } from 'chai';
import { persistenceOk } from '../../../../src/api/ingest/redis-writable.ts';

describe('whether Redis can write, from INFO persistence', () => {
  const info = (aof: string, rdb: string) =>
    `# Persistence\r\nloading:0\r\nrdb_last_bgsave_status:${rdb}\r\naof_enabled:1\r\naof_last_write_status:${aof}\r\n`;

  it('is yes while its last AOF write and RDB save succeeded', () => {
    expect(persistenceOk(info('ok', 'ok'))).to.be.true;
  });

  it('is no once an AOF write failed (a full disk) or an RDB save did', () => {
    expect(persistenceOk(info('err', 'ok'))).to.be.false;
    expect(persistenceOk(info('ok', 'err'))).to.be.false;
  });
});
