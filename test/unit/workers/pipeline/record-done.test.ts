import { expect } from 'chai';
import type { DoneRecord } from '../../../../src/queue/batch-records.ts';
import { doneRecordOf, recordDone } from '../../../../workers/pipeline/record-done.ts';

const data = (extra: Record<string, unknown> = {}) => ({
  events: [['start', 's', 'p', 1, 'FI'] as const, ['end', 's', 'p', 2, ''] as const],
  acceptedAt: 1,
  ...extra,
});

describe('recording a batch done', () => {
  it('keeps the accepted count, and for a keyed batch its fingerprint and rejections', () => {
    expect(doneRecordOf(data())).to.deep.equal({ accepted: 2 });
    const rejected = [{ index: 2, code: 'expired', message: 'too old' }];
    expect(doneRecordOf(data({ fingerprint: 'f1', rejected }))).to.deep.equal({
      accepted: 2,
      fingerprint: 'f1',
      rejected,
    });
    expect(doneRecordOf(data({ fingerprint: 'f1' }))).to.deep.equal({
      accepted: 2,
      fingerprint: 'f1',
      rejected: [],
    });
  });

  it('writes the record under the batch id, inside the replicas’ confirmation when there is one', async () => {
    const log: string[] = [];
    const records = {
      markDone: (id: string, record: DoneRecord) => {
        log.push(`done ${id} ${record.accepted}`);
        return Promise.resolve();
      },
    };
    await recordDone({ id: 'b1', data: data() }, { records, replicas: undefined });
    await recordDone(
      { id: 'b2', data: data() },
      {
        records,
        replicas: {
          confirm: async <T>(work: () => Promise<T>) => {
            log.push('confirm');
            const result = await work();
            log.push('confirmed');
            return result;
          },
        },
      },
    );
    expect(log).to.deep.equal(['done b1 2', 'confirm', 'done b2 2', 'confirmed']);
  });
});
