import { expect } from 'chai';
import {
  decodeRecord,
  encodeRecord,
  UnknownRecordVersionError,
} from '../../../src/queue/batch-records.ts';

describe('done batch records', () => {
  it('keep only the accepted count of a batch posted without an Idempotency-Key', () => {
    expect(encodeRecord({ accepted: 10 })).to.equal('[10,null,null,1]');
    expect(decodeRecord('[10,null,null,1]')).to.deep.equal({ accepted: 10 });
  });

  it('keep the fingerprint of a keyed batch, and leave out an empty list of rejections', () => {
    const text = encodeRecord({ accepted: 9, fingerprint: 'fp', rejected: [] });
    expect(text).to.equal('[9,"fp",null,1]');
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

  it('read the records of 0.1.0, which have no version, as version 1', () => {
    expect(decodeRecord('[10]')).to.deep.equal({ accepted: 10 });
    expect(decodeRecord('[9,"fp"]')).to.deep.equal({
      accepted: 9,
      fingerprint: 'fp',
      rejected: [],
    });
    const rejected = [{ index: 1, code: 'expired', message: 'old' }];
    expect(decodeRecord(JSON.stringify([8, 'fp', rejected]))).to.deep.equal({
      accepted: 8,
      fingerprint: 'fp',
      rejected,
    });
  });

  it('refuse to guess at a record of a newer version or of another form', () => {
    expect(() => decodeRecord('[10,null,null,2]'))
      .to.throw(UnknownRecordVersionError)
      .with.property('version', 2);
    expect(() => decodeRecord('{"v":2,"accepted":10}')).to.throw(UnknownRecordVersionError);
  });
});
