import { expect } from 'chai';
import fc from 'fast-check';
import { TestService } from '../../helpers/service.ts';

/**
 * Bad input of any shape gets a 4xx with a stable code, never a 5xx: arbitrary bodies, content
 * types and paths, thrown at the running API.
 */
describe('bad input of any shape', function () {
  this.timeout(120_000);
  let service: TestService;

  before(async () => {
    service = await TestService.start({ workers: 0 });
  });
  after(async () => {
    await service.close();
  });

  const expectClientError = async (response: Response, what: string) => {
    const text = await response.text();
    expect(response.status, `${what} -> ${text}`).to.be.lessThan(500);
    if (response.status >= 400) {
      const body = JSON.parse(text) as { error: { code: string; message: string } };
      expect(body.error.code, what).to.match(/^[a-z_]+$/);
      expect(body.error.message, what).to.be.a('string');
    }
  };

  it('never answers a batch with a 5xx, whatever the body', async () => {
    const event = fc.record(
      {
        event: fc.oneof(fc.constantFrom('start', 'end'), fc.anything()),
        player_id: fc.oneof(fc.string(), fc.anything()),
        session_id: fc.oneof(fc.string(), fc.anything()),
        country: fc.oneof(fc.string({ maxLength: 3 }), fc.anything()),
        ts: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          fc.string(),
          fc.anything(),
        ),
      },
      { requiredKeys: [] },
    );
    const body = fc.oneof(
      fc.array(event, { maxLength: 12 }).map((a) => JSON.stringify(a)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
    );
    const type = fc.constantFrom(
      'application/json',
      'application/x-ndjson',
      'application/json; charset=utf-8',
      'text/plain',
      '',
    );
    await fc.assert(
      fc.asyncProperty(body, type, async (b, t) => {
        const response = await fetch(`${service.api.url}/v1/batches`, {
          method: 'POST',
          headers: t ? { 'content-type': t } : {},
          body: b,
        });
        await expectClientError(response, `${t} ${b.slice(0, 80)}`);
      }),
      { numRuns: 300 },
    );
  });

  it('never answers a read with a 5xx, whatever the path and query', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.constantFrom('FI', '%', '%E0%A4%A', '..', '%00'),
    );
    const query = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.double().map(String),
      fc.constantFrom('', '1', '8760', '1e9'),
    );
    const path = fc.oneof(
      fc
        .tuple(segment, query)
        .map(
          ([c, q]) =>
            `/v1/countries/${encodeURIComponent(c)}/starts?hours=${encodeURIComponent(q)}`,
        ),
      query.map((q) => `/v1/countries/starts?hours=${encodeURIComponent(q)}`),
      fc
        .tuple(segment, query)
        .map(
          ([p, q]) =>
            `/v1/players/${encodeURIComponent(p)}/sessions?limit=${encodeURIComponent(q)}`,
        ),
      segment.map((s) => `/v1/batches/${encodeURIComponent(s)}`),
      fc.constantFrom(
        '/v1/countries/%/starts?hours=1',
        '/v1/players/%E0%A4%A/sessions',
        '/v1/batches/%ZZ',
      ),
    );
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        await expectClientError(await fetch(`${service.api.url}${p}`), p);
      }),
      { numRuns: 300 },
    );
  });

  it('never answers an unexpected method with a 5xx', async () => {
    const method = fc.constantFrom(
      'PUT',
      'DELETE',
      'PATCH',
      'PROPFIND',
      'MKCOL',
      'LOCK',
      'OPTIONS',
      'HEAD',
    );
    const path = fc.constantFrom(
      '/v1/batches',
      '/v1/batches/x',
      '/v1/countries/starts',
      '/v1/players/p/sessions',
      '/healthz',
      '/metrics',
      '/nowhere',
    );
    await fc.assert(
      fc.asyncProperty(method, path, async (m, p) => {
        const response = await fetch(`${service.api.url}${p}`, { method: m });
        await response.body?.cancel();
        expect(response.status, `${m} ${p}`).to.be.lessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
