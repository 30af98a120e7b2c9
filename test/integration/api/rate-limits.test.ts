import { expect } from 'chai';
import { startApiServer, type ApiServer } from '../../../src/api/server.ts';
import { TestService, silentLogger } from '../../helpers/service.ts';
import { testConfig } from '../../helpers/env.ts';

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { headers });
  const body = (await response.json()) as { error?: { code: string } };
  return { status: response.status, headers: response.headers, body };
}

describe('rate limits (RATE_LIMIT=on)', function () {
  this.timeout(60_000);
  let service: TestService;
  let second: ApiServer;
  const overrides = {
    AUTH: 'on',
    RATE_LIMIT: 'on',
    RATE_LIMIT_PER_KEY: '5',
    RATE_LIMIT_PER_ADDRESS: '3',
    ADMIN_PASSWORD: 'board-secret',
    ADMIN_LOGIN_MAX_FAILURES: '3',
  };

  before(async () => {
    service = await TestService.start({ overrides });
    // A second API process on the same Redis and keyspace: limits are shared, not per process.
    second = await startApiServer(
      testConfig({
        ...overrides,
        CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
        QUEUE_PREFIX: service.config.queue.prefix,
      }),
      silentLogger,
    );
  });
  after(async () => {
    await second.close();
    await service.close();
  });

  const views = (base: string) => `${base}/v1/countries/starts?hours=1`;

  it('answers 429 rate_limited with Retry-After and RateLimit fields past a key’s budget, counted across API processes', async () => {
    const headers = await service.keyHeaders('read');
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        get(views(i % 2 ? second.url : service.api.url), headers),
      ),
    );
    const ok = answers.filter((a) => a.status === 200);
    const limited = answers.filter((a) => a.status === 429);
    expect(ok.length + limited.length).to.equal(10);
    // One window holds 5; should the burst straddle a window's end, the next holds 5 more.
    expect(ok.length).to.be.within(5, 9);
    expect(limited.length).to.be.at.least(1);
    const refusal = limited[0]!;
    expect(refusal.body.error?.code).to.equal('rate_limited');
    expect(Number(refusal.headers.get('retry-after'))).to.be.within(1, 1);
    expect(refusal.headers.get('ratelimit-limit')).to.equal('5');
    expect(refusal.headers.get('ratelimit-remaining')).to.equal('0');
    expect(refusal.headers.get('ratelimit-policy')).to.equal('5;w=1');
    expect(ok[0]!.headers.get('ratelimit-limit')).to.equal('5');
    expect(Number(ok[0]!.headers.get('ratelimit-remaining'))).to.be.within(0, 4);
  });

  it('gives each key its own budget', async () => {
    const [a, b] = [await service.keyHeaders('read'), await service.keyHeaders('read')];
    const spent = await Promise.all(
      Array.from({ length: 8 }, () => get(views(service.api.url), a)),
    );
    expect(spent.some((r) => r.status === 429)).to.be.true;
    expect((await get(views(service.api.url), b)).status).to.equal(200);
  });

  it('limits requests without a valid key per client address, at RATE_LIMIT_PER_ADDRESS', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => get(views(service.api.url))));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).to.be.at.least(1);
    expect(limited[0]!.headers.get('ratelimit-limit')).to.equal('3');
  });

  it('never limits the health and readiness probes: 60 at once from one address are all answered', async () => {
    for (const probe of ['/healthz', '/readyz']) {
      const answers = await Promise.all(
        Array.from({ length: 60 }, () => get(`${service.api.url}${probe}`)),
      );
      expect(
        answers.map((a) => a.status),
        probe,
      ).to.deep.equal(Array<number>(60).fill(200));
      expect(answers[0]!.headers.get('ratelimit-limit'), 'not counted').to.equal(null);
    }
  });

  it('refuses an address with 429 after ADMIN_LOGIN_MAX_FAILURES failed Bull Board logins, even with the right password', async () => {
    const basic = (password: string) => ({
      authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`,
    });
    const board = `${service.api.url}/admin/queues`;
    await new Promise((r) => setTimeout(r, 1100)); // a fresh per-address window
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await fetch(board, { headers: basic(`wrong-${i}`) });
      await response.arrayBuffer();
      statuses.push(response.status);
      await new Promise((r) => setTimeout(r, 400)); // stay under the per-address request limit
    }
    expect(statuses).to.deep.equal([401, 401, 401, 429]);
    const right = await fetch(board, { headers: basic('board-secret') });
    await right.arrayBuffer();
    expect(right.status).to.equal(429);
    expect(Number(right.headers.get('retry-after'))).to.be.within(1, 900);
    // Every API process refuses it: the count is in Redis.
    const elsewhere = await fetch(`${second.url}/admin/queues`, { headers: basic('board-secret') });
    await elsewhere.arrayBuffer();
    expect(elsewhere.status).to.equal(429);
  });
});
