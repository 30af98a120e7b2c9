import { expect } from 'chai';
import { endEvent } from '../../helpers/events.ts';
import { TestService } from '../../helpers/service.ts';

describe('replica acknowledgement', function () {
  this.timeout(60_000);

  // The shared local Redis has no replica, so no WAIT can ever be satisfied there.
  it('answers 503 queue_unavailable with Retry-After instead of a 202 when no replica confirms the batch in time', async () => {
    const service = await TestService.start({
      workers: 0,
      overrides: { REDIS_MIN_REPLICAS_ACK: '1', REDIS_REPLICA_ACK_TIMEOUT_MS: '50' },
    });
    try {
      const key = 'replica-ack-1';
      const first = await service.post([endEvent('s-ack', 'p-ack', Date.now())], {
        'idempotency-key': key,
      });
      expect(first.status).to.equal(503);
      expect((first.body.error as { code: string }).code).to.equal('queue_unavailable');
      expect(Number(first.headers.get('retry-after'))).to.be.greaterThan(0);
      const metrics = await (await fetch(`${service.api.url}/metrics`)).text();
      expect(metrics).to.match(/pss_replica_ack_refusals_total\{[^}]*\} 1\b/);
    } finally {
      await service.close();
    }
  });

  it('answers 202 without waiting for replicas when REDIS_MIN_REPLICAS_ACK is 0', async () => {
    const service = await TestService.start({ workers: 0 });
    try {
      const answer = await service.post([endEvent('s-noack', 'p-noack', Date.now())]);
      expect(answer.status).to.equal(202);
    } finally {
      await service.close();
    }
  });
});
