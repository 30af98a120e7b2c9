import { waitFor } from '../../../ops/lib/process.ts';
import { compileErrors, validate } from '@readme/openapi-parser';
import { expect } from 'chai';
import type { OpenAPIObject, RequestBodyObject } from 'openapi3-ts/oas31';
import { createKey } from '../../../ops/lib/api-keys.ts';
import { DASHBOARD_ASSETS, PATHS } from '../../../src/api/paths.ts';
import type { Scope } from '../../../src/auth/api-key.ts';
import { startApiServer } from '../../../src/api/server.ts';
import { endEvent, startEvent } from '../../helpers/events.ts';
import { testConfig } from '../../helpers/env.ts';
import {
  DocumentedApi,
  HTTP_METHODS,
  pathShape,
  type SeenResponse,
} from '../../helpers/openapi.ts';
import { TestService, silentLogger } from '../../helpers/service.ts';
import { MINUTE_MS } from '../../../src/domain/duration.ts';
import { createRedis, workerRedisOptions } from '../../../src/queue/redis-connections.ts';

// Nothing listens on port 1 of the loopback interface: connections are refused at once.
const DEAD_REDIS = 'redis://127.0.0.1:1';
const DEAD_CASSANDRA = '127.0.0.1:1';

/** Documented outcomes no test can provoke, and why. */
const NOT_PROVOKED: Record<string, string> = {
  'POST /v1/batches 400 request_aborted': 'the client that aborted never reads the answer',
  'POST /v1/batches/bulk 400 request_aborted': 'the client that aborted never reads the answer',
  ...Object.fromEntries(
    [
      'POST /v1/batches',
      'POST /v1/batches/bulk',
      'GET /v1/batches/{batch_id}',
      'DELETE /v1/players/{player_id}',
    ].map((op) => [
      `${op} 503 queue_not_writable`,
      'needs a Redis that cannot write its AOF: test/e2e/full-disk.test.ts',
    ]),
  ),
  // The status route's is provoked below; the ingest routes' read the same record the same way.
  'POST /v1/batches 503 upgrade_in_progress':
    'a repeat of a key whose record a newer release wrote',
  'POST /v1/batches/bulk 503 upgrade_in_progress':
    'a repeat of a key whose record a newer release wrote',
};
const isInternalError = (outcome: string) => outcome.endsWith(' 500 internal_error');

describe('the OpenAPI document at /openapi.json', function () {
  this.timeout(60_000);
  let service: TestService;
  let served: OpenAPIObject;
  let api: DocumentedApi;

  /** Calls the API and holds the answer against the document (by path template). */
  async function call(
    template: string,
    url: string,
    init: RequestInit = {},
    base = service.api.url,
  ): Promise<SeenResponse & { headers: Headers }> {
    const response = await fetch(`${base}${url}`, init);
    const contentType = response.headers.get('content-type') ?? '';
    const text = await response.text();
    const body: unknown = contentType.startsWith('application/json') ? JSON.parse(text) : text;
    const seen = { status: response.status, contentType, body };
    api.check((init.method ?? 'GET').toLowerCase(), template, seen);
    return { ...seen, headers: response.headers };
  }

  const postTo = (
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
    base?: string,
  ) =>
    call(
      path,
      path,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      },
      base,
    );
  const post = (body: unknown, headers: Record<string, string> = {}, base?: string) =>
    postTo('/v1/batches', body, headers, base);
  /** Both ingest routes, with the limits the test service has (the defaults). */
  const ingestRoutes = () => [
    {
      path: '/v1/batches',
      maxEvents: service.config.events.maxBatchEvents,
      maxBodyBytes: service.config.http.maxBodyBytes,
    },
    {
      path: '/v1/batches/bulk',
      maxEvents: service.config.events.bulkMaxEvents,
      maxBodyBytes: service.config.http.bulkMaxBodyBytes,
    },
  ];

  const errorCode = (seen: SeenResponse) => (seen.body as { error: { code: string } }).error.code;

  before(async () => {
    service = await TestService.start();
    const response = await fetch(`${service.api.url}/openapi.json`);
    served = (await response.json()) as OpenAPIObject;
    api = await DocumentedApi.load(served);
  });
  after(async () => {
    await service.close();
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    expect(served.openapi).to.match(/^3\.1\.\d+$/);
    const result = await validate(structuredClone(served) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).to.be.true;
  });

  it('documents every route the router serves, and every path it documents is served', () => {
    // HEAD is added to every GET by the router; Bull Board brings its own routes below its path.
    const routed = service.api.routes.flatMap((route) =>
      route.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${pathShape(route.path)}`),
    );
    const documented = Object.entries(served.paths ?? {}).flatMap(([path, item]) =>
      HTTP_METHODS.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${pathShape(path)}`),
    );
    const isBoard = (entry: string) => entry.split(' ')[1]!.startsWith(PATHS.board);
    expect(routed.filter((r) => !isBoard(r))).to.have.members(
      documented.filter((d) => !isBoard(d)),
    );
    expect(documented).to.include(`GET ${PATHS.board}`);
    expect(routed.length).to.be.at.least(10);
  });

  it('accepts each documented request example on both ingest routes, answering as documented', async () => {
    const rejectedCodes = new Set<string>();
    let posted = 0;
    for (const { path } of ingestRoutes()) {
      const body = served.paths![path]!.post!.requestBody as RequestBodyObject;
      for (const [type, media] of Object.entries(body.content)) {
        for (const [name, example] of Object.entries(media.examples ?? {})) {
          const value = (example as { value: unknown }).value;
          const result = await postTo(path, value, { 'content-type': type });
          expect(result.status, `${path} ${type} ${name}`).to.equal(202);
          const accepted = result.body as { rejected: { code: string }[] };
          for (const r of accepted.rejected) rejectedCodes.add(r.code);
          posted++;
        }
      }
    }
    expect(posted).to.be.at.least(12); // per route: three JSON forms, one NDJSON form per NDJSON type
    // The examples show expired and future events; an invalid one completes the set.
    const invalid = await post([endEvent('s-x', 'p-x', Date.now()), 'nonsense']);
    for (const r of (invalid.body as { rejected: { code: string }[] }).rejected)
      rejectedCodes.add(r.code);
    const rejectedEvent = served.components!.schemas!.RejectedEvent as {
      properties: { code: { enum: string[] } };
    };
    expect([...rejectedCodes]).to.have.members(rejectedEvent.properties.code.enum);
  });

  type Limits = { maxEvents: number; maxBodyBytes: number };
  const refusals: [string, (l: Limits) => string | unknown[], Record<string, string>, string][] = [
    [
      'an over-long Idempotency-Key',
      () => [endEvent('s', 'p', Date.now())],
      { 'idempotency-key': 'k'.repeat(129) },
      'invalid_idempotency_key',
    ],
    ['malformed JSON', () => '[{"event":', {}, 'malformed_body'],
    ['an empty array', () => [], {}, 'empty_batch'],
    [
      'more events than allowed',
      (l) => Array<unknown>(l.maxEvents + 1).fill(endEvent('s', 'p', Date.now())),
      {},
      'too_many_events',
    ],
    ['only invalid events', () => [{ event: 'start' }], {}, 'no_valid_events'],
    ['a body over the limit', (l) => `[${'1,'.repeat(l.maxBodyBytes / 2)}1]`, {}, 'body_too_large'],
    ['text/plain', () => 'x', { 'content-type': 'text/plain' }, 'unsupported_media_type'],
    [
      'a latin-1 body',
      () => '[]',
      { 'content-type': 'application/json; charset=latin1' },
      'unsupported_charset',
    ],
    ['a gzipped body', () => '[]', { 'content-encoding': 'gzip' }, 'unsupported_encoding'],
  ];
  for (const [what, body, headers, code] of refusals) {
    it(`refuses ${what} with ${code} on both ingest routes, as documented`, async () => {
      for (const route of ingestRoutes())
        expect(errorCode(await postTo(route.path, body(route), headers)), route.path).to.equal(
          code,
        );
    });
  }

  it('refuses a reused Idempotency-Key with another body with 422 on both ingest routes, as documented', async () => {
    for (const { path } of ingestRoutes()) {
      const key = { 'idempotency-key': `openapi-reused-${path}` };
      expect((await postTo(path, [endEvent('s-k1', 'p-k', Date.now())], key)).status).to.equal(202);
      const reused = await postTo(path, [endEvent('s-k2', 'p-k', Date.now())], key);
      expect(errorCode(reused)).to.equal('idempotency_key_reused');
    }
  });

  it('reports where a batch is, and 404 for an unknown one, as documented', async () => {
    const accepted = await post([startEvent('s-b', 'p-b', 'FI', Date.now() - MINUTE_MS)]);
    const id = (accepted.body as { batch_id: string }).batch_id;
    await service.drained();
    const status = await call('/v1/batches/{batch_id}', `/v1/batches/${id}`);
    expect(status.body).to.deep.include({ batch_id: id, state: 'done' });
    // A record as a newer release might write it, during a rolling upgrade.
    const { prefix, name } = service.config.queue;
    const redis = createRedis(service.config.redis, workerRedisOptions(), () => undefined);
    await redis.set(`${prefix}:${name}:done:${id}`, '[1,null,null,2]');
    redis.disconnect();
    const newer = await call('/v1/batches/{batch_id}', `/v1/batches/${id}`);
    expect(errorCode(newer)).to.equal('upgrade_in_progress');
    expect(newer.headers.get('retry-after')).to.equal('5');
    const unknown = await call(
      '/v1/batches/{batch_id}',
      '/v1/batches/00000000-0000-4000-8000-000000000000',
    );
    expect(errorCode(unknown)).to.equal('batch_not_found');
  });

  it('answers the views with their documented shapes, for real data and bad parameters', async () => {
    const t = Date.now() - 30 * MINUTE_MS;
    await post([startEvent('s-v', 'p-v', 'se', t), endEvent('s-v', 'p-v', t + 61_500)]);
    await service.drained();
    const all = await call('/v1/countries/starts', '/v1/countries/starts?hours=0.75');
    expect(all.body).to.deep.include({ hours: 0.75 });
    expect((all.body as { total: number }).total).to.be.at.least(1);
    const one = await call('/v1/countries/{country}/starts', '/v1/countries/se/starts?hours=1');
    expect(one.body).to.deep.include({ country: 'SE', starts: 1 });
    const player = await call('/v1/players/{player_id}/sessions', '/v1/players/p-v/sessions');
    expect((player.body as { sessions: unknown[] }).sessions).to.have.length(1);
    const nobody = await call('/v1/players/{player_id}/sessions', '/v1/players/x/sessions?limit=1');
    expect(nobody.body).to.deep.equal({ player_id: 'x', sessions: [] });

    const bad: [string, string, string][] = [
      ['/v1/countries/starts', '/v1/countries/starts?hours=8761', 'invalid_hours'],
      ['/v1/countries/{country}/starts', '/v1/countries/FIN/starts?hours=1', 'invalid_country'],
      ['/v1/countries/{country}/starts', '/v1/countries/FI/starts?hours=1e2', 'invalid_hours'],
      ['/v1/players/{player_id}/sessions', '/v1/players/a%20b/sessions', 'invalid_player_id'],
      ['/v1/players/{player_id}/sessions', '/v1/players/p/sessions?limit=21', 'invalid_limit'],
    ];
    for (const [template, url, code] of bad)
      expect(errorCode(await call(template, url))).to.equal(code);
  });

  it('erases a player and reports the erasure, and refuses a bad id or an unknown erasure, as documented', async () => {
    const queued = await call('/v1/players/{player_id}', '/v1/players/p-erased', {
      method: 'DELETE',
    });
    const id = (queued.body as { erasure_id: string }).erasure_id;
    expect(queued.headers.get('location')).to.equal(`/v1/erasures/${id}`);
    const status = await call('/v1/erasures/{erasure_id}', `/v1/erasures/${id}`);
    expect(status.body).to.deep.include({ erasure_id: id });
    const bad = await call('/v1/players/{player_id}', '/v1/players/a%20b', { method: 'DELETE' });
    expect(errorCode(bad)).to.equal('invalid_player_id');
    const unknown = await call('/v1/erasures/{erasure_id}', '/v1/erasures/nothing-like-an-id');
    expect(errorCode(unknown)).to.equal('erasure_not_found');
  });

  it('answers health, readiness, metrics and the document itself as documented', async () => {
    expect((await call('/healthz', '/healthz')).status).to.equal(200);
    expect((await call('/readyz', '/readyz')).status).to.equal(200);
    const metrics = await call('/metrics', '/metrics');
    expect(metrics.body).to.include('events_accepted_total');
    expect((await call('/openapi.json', '/openapi.json')).body).to.deep.equal(served);
  });

  it('serves the docs page and its assets as documented, and 404 for others', async () => {
    expect((await call('/docs', '/docs')).body).to.include('<div id="swagger-ui">');
    for (const asset of [
      'swagger-ui.css',
      'swagger-ui-bundle.js',
      'init.js',
      'favicon-32x32.png',
    ]) {
      expect((await call('/docs/assets/{asset}', `/docs/assets/${asset}`)).status).to.equal(200);
    }
    const missing = await call('/docs/assets/{asset}', '/docs/assets/missing.js');
    expect(errorCode(missing)).to.equal('not_found');
  });

  it('serves the index, the dashboard, its assets and the pipeline figures as documented', async () => {
    expect((await call('/', '/')).body).to.include('href="/dashboard"');
    expect((await call('/dashboard', '/dashboard')).body).to.include('dashboard.js');
    for (const asset of ['dashboard.js', 'dashboard.css', 'uPlot.esm.js', 'uPlot.min.css']) {
      const served = await call('/dashboard/assets/{asset}', `/dashboard/assets/${asset}`);
      expect(served.status, asset).to.equal(200);
    }
    const missing = await call('/dashboard/assets/{asset}', '/dashboard/assets/missing.js');
    expect(errorCode(missing)).to.equal('not_found');
    const pipeline = await call('/v1/pipeline', '/v1/pipeline');
    expect((pipeline.body as { events_accepted_total: number }).events_accepted_total).to.be.above(
      0,
    );
  });

  it('keeps the admin board off, with a 404, when no ADMIN_PASSWORD is configured', async () => {
    expect(service.config.admin.password).to.equal(undefined);
    const board = await call(PATHS.board, PATHS.board);
    expect(errorCode(board)).to.equal('not_found');
  });

  it('serves the admin board behind basic auth, as documented, when ADMIN_PASSWORD is set', async () => {
    const withBoard = await startApiServer(
      testConfig({
        CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
        ADMIN_PASSWORD: 'documented-secret',
      }),
      silentLogger,
    );
    try {
      const denied = await call(PATHS.board, PATHS.board, {}, withBoard.url);
      expect(errorCode(denied)).to.equal('unauthorized');
      expect(denied.headers.get('www-authenticate')).to.match(/^Basic /);
      const authorization = `Basic ${Buffer.from('admin:documented-secret').toString('base64')}`;
      const page = await call(
        PATHS.board,
        PATHS.board,
        { headers: { authorization } },
        withBoard.url,
      );
      expect(page.status).to.equal(200);
    } finally {
      await withBoard.close();
    }
  });

  it('answers 503 with Retry-After as documented while Redis and Cassandra are away', async () => {
    const down = await startApiServer(
      testConfig({ REDIS_URL: DEAD_REDIS, CASSANDRA_CONTACT_POINTS: DEAD_CASSANDRA }),
      silentLogger,
    );
    try {
      const calls: [string, string, RequestInit][] = [
        [
          '/v1/batches',
          '/v1/batches',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify([endEvent('s', 'p', Date.now())]),
          },
        ],
        [
          '/v1/batches/bulk',
          '/v1/batches/bulk',
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify([endEvent('s', 'p', Date.now())]),
          },
        ],
        ['/v1/batches/{batch_id}', '/v1/batches/00000000-0000-4000-8000-000000000000', {}],
        ['/v1/countries/starts', '/v1/countries/starts?hours=1', {}],
        ['/v1/countries/{country}/starts', '/v1/countries/FI/starts?hours=1', {}],
        ['/v1/players/{player_id}/sessions', '/v1/players/p/sessions', {}],
        ['/v1/players/{player_id}', '/v1/players/p', { method: 'DELETE' }],
        [
          '/v1/erasures/{erasure_id}',
          '/v1/erasures/erasure-00000000-0000-0000-0000-000000000000',
          {},
        ],
      ];
      for (const [template, url, init] of calls) {
        const result = await call(template, url, init, down.url);
        expect(result.status, url).to.equal(503);
        expect(result.headers.get('retry-after'), url).to.equal('1');
      }
      expect((await call('/readyz', '/readyz', {}, down.url)).status).to.equal(503);
    } finally {
      await down.close();
    }
  });

  it('answers 503 queue_full with Retry-After as documented on both ingest routes while the backlog is at its bound', async () => {
    // A queue of its own, with no worker: the one batch accepted stays in the backlog.
    const full = await startApiServer(testConfig({ MAX_QUEUE_BACKLOG: '1' }), silentLogger);
    try {
      expect((await post([endEvent('s-full', 'p', Date.now())], {}, full.url)).status).to.equal(
        202,
      );
      // The API reads the backlog at most every 250 ms: once it has seen the batch, it refuses.
      const refusing = async () =>
        (await postTo('/v1/batches', [endEvent('s-full-1', 'p', Date.now())], {}, full.url))
          .status === 503;
      expect(await waitFor(refusing, 5000, 20), 'the API saw its backlog full').to.be.true;
      for (const path of ['/v1/batches', '/v1/batches/bulk']) {
        const result = await postTo(path, [endEvent('s-full-2', 'p', Date.now())], {}, full.url);
        expect(result.status, path).to.equal(503);
        expect((result.body as { error: { code: string } }).error.code, path).to.equal(
          'queue_full',
        );
        expect(result.headers.get('retry-after'), path).to.equal('5');
      }
    } finally {
      await full.close();
    }
  });

  // With API keys and rate limits on (plain tests, so that they run before the last one).
  {
    const secured: [string, string, string, Scope][] = [
      ['post', '/v1/batches', '/v1/batches', 'ingest'],
      ['post', '/v1/batches/bulk', '/v1/batches/bulk', 'admin'],
      [
        'get',
        '/v1/batches/{batch_id}',
        '/v1/batches/00000000-0000-4000-8000-000000000000',
        'ingest',
      ],
      ['get', '/v1/countries/starts', '/v1/countries/starts?hours=1', 'read'],
      ['get', '/v1/countries/{country}/starts', '/v1/countries/FI/starts?hours=1', 'read'],
      ['get', '/v1/players/{player_id}/sessions', '/v1/players/p-doc/sessions', 'read'],
      ['get', '/metrics', '/metrics', 'admin'],
      ['get', '/v1/pipeline', '/v1/pipeline', 'read'],
      ['delete', '/v1/players/{player_id}', '/v1/players/p-doc-erased', 'admin'],
      [
        'get',
        '/v1/erasures/{erasure_id}',
        '/v1/erasures/erasure-00000000-0000-0000-0000-000000000000',
        'admin',
      ],
    ];
    // The probes are never limited (test/integration/api/rate-limits.test.ts).
    const open: [string, string][] = [
      ['/openapi.json', '/openapi.json'],
      ['/docs', '/docs'],
      ['/docs/assets/{asset}', '/docs/assets/init.js'],
      [PATHS.board, PATHS.board],
      ['/', '/'],
      ['/dashboard', '/dashboard'],
      ['/dashboard/assets/{asset}', `/dashboard/assets/${DASHBOARD_ASSETS[0]}`],
    ];
    const init = (method: string, headers: Record<string, string>): RequestInit =>
      method === 'post'
        ? {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify([endEvent('s-doc-auth', 'p-doc', Date.now())]),
          }
        : { method: method.toUpperCase(), headers };
    const keyFor = async (...scopes: Scope[]) => ({
      authorization: `Bearer ${(await createKey(service.keys, 'openapi test', scopes)).key}`,
    });
    const guardedServer = (overrides: Record<string, string>) =>
      startApiServer(
        testConfig({
          CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
          QUEUE_PREFIX: service.config.queue.prefix,
          AUTH: 'on',
          ...overrides,
        }),
        silentLogger,
      );

    it('answers every secured operation 401 without a key and 403 without its scope, as documented', async () => {
      const guarded = await guardedServer({ RATE_LIMIT: 'off' });
      try {
        for (const [method, template, url, scope] of secured) {
          const none = await call(template, url, init(method, {}), guarded.url);
          expect(errorCode(none), url).to.equal('unauthorized');
          const others = (['ingest', 'read', 'admin'] as const).filter((s) => s !== scope);
          const wrong = await call(
            template,
            url,
            init(method, await keyFor(...others)),
            guarded.url,
          );
          expect(errorCode(wrong), url).to.equal('forbidden');
        }
      } finally {
        await guarded.close();
      }
    });

    it('answers every operation 429 rate_limited past its budget, as documented', async () => {
      const limited = await guardedServer({
        RATE_LIMIT: 'on',
        RATE_LIMIT_PER_KEY: '1',
        RATE_LIMIT_PER_ADDRESS: '1',
      });
      const untilLimited = async (
        template: string,
        url: string,
        method: string,
        headers: Record<string, string>,
      ) => {
        for (let i = 0; i < 4; i++) {
          const seen = await call(template, url, init(method, headers), limited.url);
          if (seen.status === 429) return seen;
        }
        throw new Error(`${url} was never limited`);
      };
      try {
        for (const [method, template, url] of secured) {
          const seen = await untilLimited(
            template,
            url,
            method,
            await keyFor('ingest', 'read', 'admin'),
          );
          expect(seen.headers.get('retry-after'), url).to.equal('1');
        }
        for (const [template, url] of open) await untilLimited(template, url, 'get', {});
      } finally {
        await limited.close();
      }
    });
  }

  // Last: the tests above must between them have seen every documented answer.
  it('saw the API give every documented status and error code', () => {
    const unseen = api
      .documentedOutcomes()
      .filter((o) => !api.seen.has(o) && !(o in NOT_PROVOKED) && !isInternalError(o));
    expect(unseen, 'documented, never answered').to.deep.equal([]);
  });
});
