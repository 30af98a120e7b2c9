import { expect } from 'chai';
import { scanFacts, scanFinished, type StoredFact } from '../../../src/storage/fact-scan.ts';
import { useMigratedKeyspace } from '../../helpers/cassandra.ts';
import { testConfig } from '../../helpers/env.ts';

const key = (f: StoredFact) => `${f.sessionId}|${f.kind}|${f.ts}|${f.playerId}|${f.country}`;

describe('the scan of the facts', function () {
  this.timeout(60_000);
  const ks = useMigratedKeyspace(testConfig());
  const stored: string[] = [];

  before(async () => {
    const insert = `INSERT INTO ${ks.keyspace}.sessions_by_id (session_id, event, ts, player_id, country) VALUES (?, ?, ?, ?, ?)`;
    for (let i = 0; i < 120; i++) {
      const session = `s-${i}`;
      const facts: StoredFact[] = [
        { sessionId: session, kind: 'start', ts: 1_000 * i, playerId: `p-${i % 9}`, country: 'FI' },
        {
          sessionId: session,
          kind: 'end',
          ts: 1_000 * i + 500,
          playerId: `p-${i % 9}`,
          country: '',
        },
      ];
      if (i % 10 === 0) facts.push({ ...facts[0]!, country: 'SE' }); // a conflicting variant
      for (const f of facts) {
        await ks.client.execute(
          insert,
          [f.sessionId, f.kind, new Date(f.ts), f.playerId, f.country],
          { prepare: true },
        );
        stored.push(key(f));
      }
    }
  });

  it('reads every fact exactly once, page by page, and says when it is done', async () => {
    const seen: string[] = [];
    const tokens: string[] = [];
    for await (const page of scanFacts(ks.client, ks.keyspace, { pageRows: 17 })) {
      seen.push(...page.facts.map(key));
      tokens.push(page.resumeToken);
    }
    expect(seen.sort()).to.deep.equal([...stored].sort());
    expect(tokens.length).to.be.at.least(Math.ceil(stored.length / 17));
    expect(scanFinished(tokens.at(-1))).to.be.true;
    expect(tokens.slice(0, -1).some(scanFinished)).to.be.false;
  });

  it('resumed from a page’s token, reads every fact the interrupted scan had not finished', async () => {
    const before = new Set<string>();
    let resumeToken = '';
    for await (const page of scanFacts(ks.client, ks.keyspace, { pageRows: 25 })) {
      for (const f of page.facts) before.add(key(f));
      resumeToken = page.resumeToken;
      if (before.size >= 100) break; // the scan dies here
    }
    const after = new Set<string>();
    for await (const page of scanFacts(ks.client, ks.keyspace, { fromToken: resumeToken }))
      for (const f of page.facts) after.add(key(f));
    expect(stored.filter((f) => !before.has(f) && !after.has(f))).to.deep.equal([]);
    expect(after.size).to.be.below(stored.length - 50);
  });

  it('keeps its pace by waiting between pages', async () => {
    const waits: number[] = [];
    let pages = 0;
    let rows = 0;
    for await (const page of scanFacts(ks.client, ks.keyspace, {
      pageRows: 50,
      rowsPerSecond: 10,
      sleep: (ms) => {
        waits.push(ms);
        return Promise.resolve();
      },
    })) {
      pages++;
      rows += page.facts.length;
    }
    expect(rows).to.equal(stored.length);
    expect(waits).to.have.length(pages);
    // 50 rows at 10 rows/s: each page is due five seconds after the one before.
    expect(waits[0]).to.be.within(1, 5000);
  });

  it('stops when aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    const pages = scanFacts(ks.client, ks.keyspace, { signal: abort.signal });
    let error: unknown;
    try {
      await pages.next();
    } catch (err) {
      error = err;
    }
    expect(error).to.have.property('name', 'AbortError');
  });
});
