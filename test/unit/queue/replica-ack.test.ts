import { expect } from 'chai';
import { fenceKeyOf, NotReplicatedError, refusalOf } from '../../../src/queue/replica-ack.ts';

describe('replica acknowledgement: the verdict of a round', () => {
  it('confirms the work when enough replicas acknowledged the fence on the same connection', () => {
    expect(refusalOf({ acknowledged: 1, wanted: 1, reconnected: false })).to.equal(undefined);
    expect(refusalOf({ acknowledged: 2, wanted: 1, reconnected: false })).to.equal(undefined);
  });

  it('refuses when fewer replicas acknowledged than wanted', () => {
    const refusal = refusalOf({ acknowledged: 0, wanted: 1, reconnected: false });
    expect(refusal).to.be.instanceOf(NotReplicatedError);
    expect(refusal?.message).to.equal('0 of 1 replica(s) acknowledged in time');
  });

  it('refuses when the connection closed since the work began, however many replicas acknowledged', () => {
    // The fence may have gone to another Redis than the work's reads: it covers nothing they saw.
    const refusal = refusalOf({ acknowledged: 1, wanted: 1, reconnected: true });
    expect(refusal).to.be.instanceOf(NotReplicatedError);
    expect(refusal?.reconnected).to.equal(true);
  });

  it('keeps the fence under the queue prefix, where no batch id or BullMQ key can be', () => {
    expect(fenceKeyOf({ prefix: 'pss', name: 'events' })).to.equal('pss:events:replica-fence');
  });
});
