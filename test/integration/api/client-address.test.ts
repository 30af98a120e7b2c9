import { expect } from 'chai';
import { waitFor } from '../../../ops/lib/process.ts';
import { startApiServer, type ApiServer } from '../../../src/api/server.ts';
import { testConfig } from '../../helpers/env.ts';
import { captureLogs } from '../../helpers/log-lines.ts';
import { requestFrom, type RawAnswer } from '../../helpers/raw-http.ts';
import { TestService } from '../../helpers/service.ts';

const PASSWORD = 'board-secret';
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;
const statuses = (answers: readonly RawAnswer[]) => answers.map((a) => a.status);
const count = (answers: readonly RawAnswer[], status: number) =>
  answers.filter((a) => a.status === status).length;

/**
 * Each test is one or more clients with their own source address on the loopback network, as the
 * API's socket sees them, sending made-up X-Forwarded-For values as an attacker would.
 */
describe('the client address the limits count (TRUST_PROXY_HOPS, PROXY_IP_HEADER)', function () {
  this.timeout(60_000);
  // 10 per second per address: a burst of 60 needs six seconds to pass unrefused.
  const overrides = {
    AUTH: 'on',
    RATE_LIMIT: 'on',
    RATE_LIMIT_PER_ADDRESS: '10',
    ADMIN_PASSWORD: PASSWORD,
  };
  let service: TestService;
  /** The same service behind one load balancer: TRUST_PROXY_HOPS=1. */
  let proxied: ApiServer;
  const { logger, logContext, lines } = captureLogs('api');

  before(async () => {
    service = await TestService.start({ workers: 0, overrides });
    const config = testConfig({
      ...overrides,
      CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
      QUEUE_PREFIX: service.config.queue.prefix,
      TRUST_PROXY_HOPS: '1',
    });
    proxied = await startApiServer({ ...config, logLevel: 'info' }, logger, logContext);
  });
  after(async () => {
    await proxied.close();
    await service.close();
  });

  /** `count` requests at once without a key, from `from`, each with its own headers. */
  const burst = (base: string, from: string, headersOf: (i: number) => Record<string, string>) =>
    Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        requestFrom(from, `${base}/v1/countries/starts?hours=1`, { headers: headersOf(i) }),
      ),
    );
  const board = (base: string, from: string, password: string, forwarded: string) =>
    requestFrom(from, `${base}/admin/queues`, {
      headers: { authorization: basic(password), 'x-forwarded-for': forwarded },
    });

  describe('by default (no proxy trusted)', () => {
    it('ignores made-up X-Forwarded-For values: a burst of 60 from one address is refused 429', async () => {
      const answers = await burst(service.api.url, '127.0.0.2', (i) => ({
        'x-forwarded-for': `203.0.113.${i}`,
      }));
      expect(count(answers, 401) + count(answers, 429)).to.equal(60);
      expect(count(answers, 429)).to.be.at.least(20);
      const refusal = answers.find((a) => a.status === 429);
      expect(refusal?.body.error?.code).to.equal('rate_limited');
      expect(refusal?.headers['ratelimit-limit']).to.equal('10');
    });

    it('keeps an address locked out of Bull Board after 5 failed logins, whatever X-Forwarded-For it sends', async () => {
      const failures: RawAnswer[] = [];
      for (let i = 0; i < 5; i++)
        failures.push(await board(service.api.url, '127.0.0.3', `wrong-${i}`, `203.0.113.${i}`));
      expect(statuses(failures)).to.deep.equal([401, 401, 401, 401, 401]);
      const right = await board(service.api.url, '127.0.0.3', PASSWORD, '203.0.113.200');
      expect(right.status).to.equal(429);
      expect(right.body.error?.message).to.equal('too many failed logins; retry later');
      // Another address is not locked out.
      expect((await board(service.api.url, '127.0.0.4', PASSWORD, '203.0.113.3')).status).to.equal(
        200,
      );
    });
  });

  describe('behind one trusted proxy (TRUST_PROXY_HOPS=1)', () => {
    // The load balancer connects from 127.0.0.5 and appends the address it saw.
    const LB = '127.0.0.5';

    it('counts the rightmost X-Forwarded-For entry: entries further left do not make new clients', async () => {
      const answers = await burst(proxied.url, LB, (i) => ({
        'x-forwarded-for': `203.0.113.${i}, 198.51.100.7`,
      }));
      expect(count(answers, 401) + count(answers, 429)).to.equal(60);
      expect(count(answers, 429)).to.be.at.least(20);
    });

    it('tells the clients behind the proxy apart: 60 of them through one proxy address are not refused', async () => {
      const answers = await burst(proxied.url, LB, (i) => ({
        'x-forwarded-for': `198.51.100.${100 + i}`,
      }));
      expect(statuses(answers)).to.deep.equal(Array<number>(60).fill(401));
    });

    it('locks the client out of Bull Board, not the proxy, and logs the client’s address', async () => {
      const client = '198.51.100.70';
      for (let i = 0; i < 5; i++) {
        const failure = await board(proxied.url, LB, `wrong-${i}`, `203.0.113.${i}, ${client}`);
        expect(failure.status).to.equal(401);
      }
      const right = await board(proxied.url, LB, PASSWORD, `203.0.113.9, ${client}`);
      expect(right.status).to.equal(429);
      expect(right.body.error?.message).to.equal('too many failed logins; retry later');
      expect((await board(proxied.url, LB, PASSWORD, '198.51.100.71')).status).to.equal(200);

      const logged = () => lines.filter((l) => l.msg === 'request' && l.path === '/admin/queues');
      expect(await waitFor(() => logged().length === 7, 2000, 10)).to.equal(true);
      expect(logged().map((l) => l.ip)).to.deep.equal([
        ...Array<string>(6).fill(client),
        '198.51.100.71',
      ]);
    });
  });
});
