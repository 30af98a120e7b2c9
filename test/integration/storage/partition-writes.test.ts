import { expect } from 'chai';
import type { SessionEvent } from '../../../src/domain/events.ts';
import { writeGrouped, type PartitionWrite } from '../../../src/storage/partition-writes.ts';
import type { StatementRunner } from '../../../src/storage/request-limit.ts';
import { SessionFacts } from '../../../src/storage/session-facts.ts';
import { useMigratedKeyspace } from '../../helpers/cassandra.ts';
import { testConfig } from '../../helpers/env.ts';

/** The client, counting the requests (single statements and batches) it sends. */
function countingRunner(client: StatementRunner): {
  runner: StatementRunner;
  requests: () => number;
} {
  let requests = 0;
  return {
    runner: {
      execute: (...args) => (requests++, client.execute(...args)),
      batch: (...args) => (requests++, client.batch(...args)),
    },
    requests: () => requests,
  };
}

const TTL = 3600;
const base = Date.now() - 60_000;

function sessionEvents(prefix: string, sessions: number, perSession: number): SessionEvent[] {
  return Array.from({ length: sessions * perSession }, (_, i) => ({
    kind: i % 2 === 0 ? 'start' : 'end',
    sessionId: `${prefix}-${Math.floor(i / perSession)}`,
    playerId: 'p1',
    country: i % 2 === 0 ? 'FI' : undefined,
    ts: base + i,
  }));
}

describe('grouped writes and many-partition reads against the real Cassandra', function () {
  this.timeout(60_000);
  const config = testConfig();
  const ks = useMigratedKeyspace(config);

  for (const acrossPartitions of [true, false]) {
    it(`stores every write ${acrossPartitions ? 'in batches across partitions' : 'in one batch per partition'}, and reads every view back`, async () => {
      const facts = new SessionFacts(ks.client, ks.keyspace);
      const events = sessionEvents(`across-${acrossPartitions}`, 300, 4);
      const writes: PartitionWrite[] = events.map((e) => facts.recordWrite(e, TTL));
      const { runner, requests } = countingRunner(ks.client);

      await writeGrouped(runner, writes, { concurrency: 8, acrossPartitions });

      expect(requests()).to.equal(acrossPartitions ? 6 : 300);
      const views = await facts.views([...new Set(events.map((e) => e.sessionId))], 4);
      expect(views.size).to.equal(300);
      for (const [id, view] of views) expect(view, id).to.have.length(4);
    });
  }

  it('reads a view larger than one page whole', async () => {
    const facts = new SessionFacts(ks.client, ks.keyspace);
    const events = sessionEvents('paged', 1, 12_000);
    await writeGrouped(
      ks.client,
      events.map((e) => facts.recordWrite(e, TTL)),
      { concurrency: 16, acrossPartitions: false },
    );
    const views = await facts.views(['paged-0', 'never-written'], 2);
    expect(views.get('paged-0')).to.have.length(12_000);
    expect(views.get('never-written')).to.deep.equal([]);
  });
});
