import { expect } from 'chai';
import { waitFor } from '../../../ops/lib/process.ts';
import { startApiServer } from '../../../src/api/server.ts';
import { endEvent, startEvent } from '../../helpers/events.ts';
import { TestService, silentLogger } from '../../helpers/service.ts';
import { testConfig } from '../../helpers/env.ts';
import { OwnRedis } from '../../helpers/redis-server.ts';
import { addsByJob } from '../../helpers/queue-adds.ts';
import { MINUTE_MS } from '../../../src/domain/duration.ts';

describe('POST /v1/batches and GET /v1/batches/{id}', function () {
  this.timeout(60_000);
  let service: TestService;
  const now = () => Date.now();

  before(async () => {
    service = await TestService.start();
  });
  after(async () => {
    await service.close();
  });

  it('rejects ids with lone surrogates (JSON \\ud800 escapes) as invalid_event instead of merging them', async () => {
    const ts = new Date(now() - MINUTE_MS).toISOString();
    // Written by hand: JSON.stringify would escape the surrogates itself, this is the raw form.
    const body = `[{"event":"start","country":"FI","player_id":"p\\ud800","session_id":"s-lone","ts":"${ts}"},{"event":"start","country":"FI","player_id":"p-ok","session_id":"s\\udfffx","ts":"${ts}"},{"event":"start","country":"FI","player_id":"p-ok","session_id":"s-fine","ts":"${ts}"}]`;
    const answer = await service.post(body);
    expect(answer.status).to.equal(202);
    expect(answer.body.accepted).to.equal(1);
    const rejected = answer.body.rejected as { index: number; code: string; field: string }[];
    expect(rejected.map((r) => [r.index, r.code, r.field])).to.deep.equal([
      [0, 'invalid_event', 'player_id'],
      [1, 'invalid_event', 'session_id'],
    ]);
  });

  it('accepts a JSON array, answers 202 with the batch id, and the batch gets done', async () => {
    const t = now() - 5 * MINUTE_MS;
    const result = await service.post([
      startEvent('s-1', 'p-1', 'fi', t),
      endEvent('s-1', 'p-1', t + MINUTE_MS),
    ]);
    expect(result.status).to.equal(202);
    expect(result.body.batch_id).to.match(/^[0-9a-f-]{36}$/);
    expect(result.body).to.deep.include({ accepted: 2, rejected: [] });
    await service.drained();
    const status = await service.get(`/v1/batches/${String(result.body.batch_id)}`);
    expect(status).to.deep.include({ status: 200 });
    expect(status.body).to.deep.equal({
      batch_id: result.body.batch_id,
      state: 'done',
      accepted: 2,
    });
  });

  it('accepts {"events": [...]} and NDJSON, the sample file’s own format', async () => {
    const e = endEvent('s-2', 'p-2', now() - MINUTE_MS);
    expect((await service.post({ events: [e] })).status).to.equal(202);
    const ndjson = `${JSON.stringify(e)}\n\n${JSON.stringify({ ...e, session_id: 's-3' })}\r\n`;
    const result = await service.post(ndjson, { 'content-type': 'application/x-ndjson' });
    expect(result.status).to.equal(202);
    expect(result.body.accepted).to.equal(2);
  });

  it('lists invalid, expired and future events by index and still queues the valid ones', async () => {
    const t = now();
    const result = await service.post([
      startEvent('s-4', 'p-4', 'FI', t - MINUTE_MS),
      startEvent('s-5', 'p-4', 'FIN', t),
      endEvent('s-6', 'p-4', t - 366 * 86_400_000),
      endEvent('s-7', 'p-4', t + 6 * MINUTE_MS),
      'nonsense',
    ]);
    expect(result.status).to.equal(202);
    expect(result.body.accepted).to.equal(1);
    expect(
      (result.body.rejected as { index: number; code: string }[]).map((r) => [r.index, r.code]),
    ).to.deep.equal([
      [1, 'invalid_event'],
      [2, 'expired'],
      [3, 'ts_in_future'],
      [4, 'invalid_event'],
    ]);
  });

  it('names the bad NDJSON line and keeps the others', async () => {
    const e = endEvent('s-8', 'p-8', now());
    const result = await service.post(`${JSON.stringify(e)}\n{"event":\n`, {
      'content-type': 'application/x-ndjson',
    });
    expect(result.status).to.equal(202);
    expect(result.body.rejected).to.deep.equal([
      { index: 1, code: 'invalid_event', message: 'line 2 is not valid JSON' },
    ]);
  });

  const badBodies: [string, unknown, Record<string, string>, number, string][] = [
    ['malformed JSON', '[{"event":', {}, 400, 'malformed_body'],
    ['a JSON object without events', { event: 'start' }, {}, 400, 'malformed_body'],
    ['a JSON string', '"hello"', {}, 400, 'malformed_body'],
    ['an empty array', [], {}, 400, 'empty_batch'],
    [
      'an empty NDJSON body',
      '\n\n',
      { 'content-type': 'application/x-ndjson' },
      400,
      'empty_batch',
    ],
    ['eleven events', Array(11).fill(endEvent('s', 'p', Date.now())), {}, 400, 'too_many_events'],
    ['only invalid events', [{ event: 'start' }], {}, 400, 'no_valid_events'],
    ['text/plain', 'x', { 'content-type': 'text/plain' }, 415, 'unsupported_media_type'],
    [
      'form data',
      'a=b',
      { 'content-type': 'application/x-www-form-urlencoded' },
      415,
      'unsupported_media_type',
    ],
    [
      'a latin-1 charset',
      '[]',
      { 'content-type': 'application/json; charset=iso-8859-1' },
      415,
      'unsupported_charset',
    ],
    ['gzip', '[]', { 'content-encoding': 'gzip' }, 415, 'unsupported_encoding'],
    ['a body over the limit', `[${'1,'.repeat(40_000)}1]`, {}, 413, 'body_too_large'],
    [
      'an over-long Idempotency-Key',
      [endEvent('s', 'p', Date.now())],
      { 'idempotency-key': 'k'.repeat(129) },
      400,
      'invalid_idempotency_key',
    ],
  ];
  for (const [what, body, headers, status, code] of badBodies) {
    it(`answers ${status} ${code} to ${what}`, async () => {
      const result = await service.post(body, headers);
      expect(result.status).to.equal(status);
      expect((result.body.error as { code: string }).code).to.equal(code);
      expect((result.body.error as { message: string }).message).to.be.a('string').and.not.empty;
    });
  }

  it('answers 400 malformed_body to a body that is not UTF-8, rather than reading U+FFFD into an id', async () => {
    const event = JSON.stringify([startEvent('s-bytes', 'p-bytes', 'FI', now() - MINUTE_MS)]);
    const at = event.indexOf('p-bytes') + 2;
    // 0xFF never occurs in UTF-8; F0 9F 98 is a four-byte sequence cut short.
    for (const bad of [[0xff], [0xf0, 0x9f, 0x98]]) {
      const body = Buffer.concat([
        Buffer.from(event.slice(0, at)),
        Buffer.from(bad),
        Buffer.from(event.slice(at)),
      ]);
      const response = await fetch(`${service.api.url}/v1/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).to.equal(400);
      expect(await response.json()).to.deep.equal({
        error: { code: 'malformed_body', message: 'the body is not valid UTF-8', details: [] },
      });
    }
  });

  it('gives the rejections of a batch without valid events as details', async () => {
    const result = await service.post([
      { event: 'end', player_id: 'p', session_id: 's', ts: 'soon' },
    ]);
    expect(result.body.error).to.deep.equal({
      code: 'no_valid_events',
      message: 'no event of the batch is valid; see details',
      details: [
        {
          index: 0,
          code: 'invalid_event',
          message: '"ts" is not an ISO-8601 date-time (YYYY-MM-DDTHH:MM:SS[.fff][Z|±HH:MM])',
          field: 'ts',
        },
      ],
    });
  });

  it('answers a repeated Idempotency-Key with the same batch and queues it once', async () => {
    const body = [startEvent('s-idem', 'p-idem', 'SE', now() - MINUTE_MS)];
    const first = await service.post(body, { 'idempotency-key': 'order-42' });
    const second = await service.post(body, { 'idempotency-key': 'order-42' });
    expect(first.status).to.equal(202);
    expect(second.status).to.equal(202);
    expect(second.body).to.deep.equal(first.body);
    await service.drained();
    const id = String(first.body.batch_id);
    expect(await waitFor(() => service.completions.count(id) > 0, 5000, 20)).to.be.true;
    const third = await service.post(body, { 'idempotency-key': 'order-42' });
    expect(third.body, 'a repeat once the batch is done').to.deep.equal(first.body);
    await service.drained();
    const adds = await addsByJob(service.config.redis, service.queue.keys.events);
    expect(adds.get(id), 'times the batch was queued').to.equal(1);
    expect(service.completions.count(id)).to.equal(1);
  });

  it('refuses a reused Idempotency-Key with another body', async () => {
    await service.post([endEvent('s-k', 'p-k', now())], { 'idempotency-key': 'order-43' });
    const other = await service.post([endEvent('s-k2', 'p-k', now())], {
      'idempotency-key': 'order-43',
    });
    expect(other.status).to.equal(422);
    expect((other.body.error as { code: string }).code).to.equal('idempotency_key_reused');
  });

  it("answers 404 for an unknown batch, and for ids that name BullMQ's own keys rather than a batch", async () => {
    // A job is under the queue's prefix, next to BullMQ's own keys; none of those is a batch.
    await service.post([endEvent('s-404', 'p-404', now())]);
    const ids = ['00000000-0000-0000-0000-000000000000', 'nope', 'x'.repeat(200)];
    ids.push('stalled-check', 'meta', 'events', 'id', 'wait', 'completed', 'stalled', 'marker');
    for (const id of ids) {
      const result = await service.get(`/v1/batches/${id}`);
      expect(result.status).to.equal(404);
      expect((result.body.error as { code: string }).code).to.equal('batch_not_found');
    }
  });

  it('answers 503 with Retry-After within about a second when Redis is down, and accepts nothing', async () => {
    const config = testConfig({
      REDIS_URL: 'redis://127.0.0.1:1',
      CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
    });
    const api = await startApiServer(config, silentLogger);
    try {
      const started = Date.now();
      const response = await fetch(`${api.url}/v1/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([endEvent('s-down', 'p-down', now())]),
      });
      expect(Date.now() - started).to.be.below(1500);
      expect(response.status).to.equal(503);
      expect(response.headers.get('retry-after')).to.equal('1');
      expect(((await response.json()) as { error: { code: string } }).error.code).to.equal(
        'queue_unavailable',
      );
    } finally {
      await api.close();
    }
  });

  it('turns to 503 within a second when its Redis dies, and takes batches again once it is back', async () => {
    const redis = await OwnRedis.start();
    const config = testConfig({
      REDIS_URL: redis.url,
      CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
    });
    const api = await startApiServer(config, silentLogger);
    const post = async () => {
      const started = Date.now();
      const response = await fetch(`${api.url}/v1/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([endEvent('s-flap', 'p-flap', now())]),
      });
      await response.body?.cancel();
      return { status: response.status, ms: Date.now() - started };
    };
    try {
      expect((await post()).status).to.equal(202);
      await redis.kill();
      const down = await post();
      expect(down.status).to.equal(503);
      expect(down.ms).to.be.below(1500);
      await redis.restart();
      expect(await waitFor(async () => (await post()).status === 202, 5000, 100)).to.be.true;
    } finally {
      await api.close();
      await redis.stop();
    }
  });
});
