import { expect } from 'chai';
import { decodeRecord, encodeRecord } from '../../../src/queue/batch-records.ts';

describe('done batch records', () => {
  it('keep only the accepted count of a batch posted without an Idempotency-Key', () => {
    expect(encodeRecord({ accepted: 10 })).to.equal('[10]');
    expect(decodeRecord('[10]')).to.deep.equal({ accepted: 10 });
  });

  it('keep the fingerprint of a keyed batch, and leave out an empty list of rejections', () => {
    const text = encodeRecord({ accepted: 9, fingerprint: 'fp', rejected: [] });
    expect(text).to.equal('[9,"fp"]');
    expect(decodeRecord(text)).to.deep.equal({ accepted: 9, fingerprint: 'fp', rejected: [] });
  });

  it('give back exactly the rejections the first request was told about', () => {
    const rejected = [
      { index: 3, code: 'invalid_event', message: '"ts" is required', field: 'ts' },
      { index: 7, code: 'expired', message: 'older than the retention period' },
    ];
    const record = { accepted: 8, fingerprint: 'fp', rejected };
    expect(decodeRecord(encodeRecord(record))).to.deep.equal(record);
  });
});
