import { expect } from 'chai';
import { waitFor } from '../../../ops/lib/process.ts';
import { endEvent, startEvent } from '../../helpers/events.ts';
import { TestService, type HttpResult } from '../../helpers/service.ts';
import type { Scope } from '../../../src/auth/api-key.ts';

type Call = (headers: Record<string, string>) => Promise<HttpResult>;

/** The status of a GET, its body read (an unread body would keep its connection open). */
async function statusOf(url: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(url, { headers });
  await response.arrayBuffer();
  return response.status;
}

describe('API keys and scopes (AUTH=on)', function () {
  this.timeout(60_000);
  let service: TestService;
  const batch = () => [startEvent(`s-${Math.random()}`, 'p-access', 'FI', Date.now() - 60_000)];

  before(async () => {
    service = await TestService.start({
      overrides: { AUTH: 'on', AUTH_CACHE_SECONDS: '1', ADMIN_PASSWORD: 'board-secret' },
    });
  });
  after(async () => {
    await service.close();
  });

  const routes: [string, Scope, Call][] = [
    ['POST /v1/batches', 'ingest', (h) => service.post(batch(), h)],
    [
      'GET /v1/batches/{id}',
      'ingest',
      (h) => service.get('/v1/batches/00000000-0000-4000-8000-000000000000', h),
    ],
    ['POST /v1/batches/bulk', 'admin', (h) => service.post(batch(), h, '/v1/batches/bulk')],
    ['GET /v1/countries/starts', 'read', (h) => service.get('/v1/countries/starts?hours=1', h)],
    [
      'GET /v1/countries/{c}/starts',
      'read',
      (h) => service.get('/v1/countries/FI/starts?hours=1', h),
    ],
    [
      'GET /v1/players/{p}/sessions',
      'read',
      (h) => service.get('/v1/players/p-access/sessions', h),
    ],
  ];

  for (const [route, scope, call] of routes) {
    it(`answers ${route} 401 without a key, 403 without the ${scope} scope, and serves it with the scope`, async () => {
      const none = await call({});
      expect(none.status).to.equal(401);
      expect(none.headers.get('www-authenticate')).to.match(/^Bearer realm=/);
      expect((none.body as { error: { code: string } }).error.code).to.equal('unauthorized');
      const other = (['ingest', 'read', 'admin'] as const).filter((s) => s !== scope);
      const wrong = await call(await service.keyHeaders(...other));
      expect(wrong.status).to.equal(403);
      expect(wrong.body).to.deep.include({
        error: {
          code: 'forbidden',
          message: `this API key lacks the scope ${scope}`,
          details: [{ scope }],
        },
      });
      const right = await call(await service.keyHeaders(scope));
      expect(right.status).to.be.oneOf([200, 202, 404]);
      if (right.status === 404)
        expect(right.body).to.have.nested.property('error.code', 'batch_not_found');
    });
  }

  it('answers 401 for a malformed key, an unknown key and a wrong secret', async () => {
    const good = (await service.keyHeaders('read')).authorization!;
    const [, id] = /^Bearer pss_([0-9a-f]{16})_/.exec(good) ?? [];
    for (const authorization of [
      'Bearer nonsense',
      `Bearer pss_0123456789abcdef_${'A'.repeat(43)}`,
      `Bearer pss_${id}_${'B'.repeat(43)}`,
      'Basic YWRtaW46eA==',
    ]) {
      const answer = await service.get('/v1/countries/starts?hours=1', { authorization });
      expect(answer.status, authorization).to.equal(401);
    }
    expect(
      (await service.get('/v1/countries/starts?hours=1', { authorization: good })).status,
    ).to.equal(200);
  });

  it('accepts a key with several scopes on the routes of each', async () => {
    const both = await service.keyHeaders('ingest', 'read');
    expect((await service.post(batch(), both)).status).to.equal(202);
    expect((await service.get('/v1/countries/starts?hours=1', both)).status).to.equal(200);
    expect((await service.post(batch(), both, '/v1/batches/bulk')).status).to.equal(403);
  });

  it('refuses a revoked key once the lookup cache (AUTH_CACHE_SECONDS) has expired', async () => {
    const headers = await service.keyHeaders('ingest');
    expect((await service.post(batch(), headers)).status).to.equal(202);
    const id = /pss_([0-9a-f]{16})_/.exec(headers.authorization!)?.[1] ?? '';
    expect(await service.keys.revoke(id, new Date())).to.be.true;
    // Refused within AUTH_CACHE_SECONDS (1 s here), once the cached lookup has expired.
    const refused = async () => (await service.post(batch(), headers)).status === 401;
    expect(await waitFor(refused, 3000, 100), 'refused once the cache expired').to.be.true;
    const listed = (await service.keys.list()).find((k) => k.id === id);
    expect(listed?.revokedAt).to.be.instanceOf(Date);
  });

  it('scopes Idempotency-Keys to the API key: two clients with one key get two batches', async () => {
    const [a, b] = [await service.keyHeaders('ingest'), await service.keyHeaders('ingest')];
    const events = [endEvent('s-idem-scope', 'p-idem', Date.now() - 1000)];
    const idem = { 'idempotency-key': 'order-42' };
    const first = await service.post(events, { ...a, ...idem });
    const repeat = await service.post(events, { ...a, ...idem });
    const other = await service.post(events, { ...b, ...idem });
    expect(first.status).to.equal(202);
    expect(repeat.body.batch_id).to.equal(first.body.batch_id);
    expect(other.status).to.equal(202);
    expect(other.body.batch_id).to.not.equal(first.body.batch_id);
  });

  it('keeps health, readiness and the documentation open, and /metrics behind the admin scope', async () => {
    for (const path of ['/healthz', '/readyz', '/openapi.json', '/docs']) {
      const status = await statusOf(`${service.api.url}${path}`);
      expect(status, path).to.equal(200);
    }
    expect(await statusOf(`${service.api.url}/metrics`)).to.equal(401);
    const read = await statusOf(`${service.api.url}/metrics`, await service.keyHeaders('read'));
    expect(read).to.equal(403);
    const admin = await statusOf(`${service.api.url}/metrics`, await service.keyHeaders('admin'));
    expect(admin).to.equal(200);
  });

  it('lets an admin key into Bull Board as well as its basic-auth login', async () => {
    const none = await statusOf(`${service.api.url}/admin/queues`);
    expect(none).to.equal(401);
    const key = await statusOf(
      `${service.api.url}/admin/queues`,
      await service.keyHeaders('admin'),
    );
    expect(key).to.equal(200);
    const ingestKey = await statusOf(
      `${service.api.url}/admin/queues`,
      await service.keyHeaders('ingest'),
    );
    expect(ingestKey).to.equal(401);
    const basic = `Basic ${Buffer.from('admin:board-secret').toString('base64')}`;
    const login = await statusOf(`${service.api.url}/admin/queues`, { authorization: basic });
    expect(login).to.equal(200);
  });
});
