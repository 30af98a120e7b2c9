import { expect } from 'chai';
import { postBatch, type PosterOptions } from '../../../ops/data/poster.ts';
import { freePort } from '../../../ops/lib/free-port.ts';
import { ScriptedServer, type ScriptedAnswer } from '../../helpers/scripted-server.ts';

const EVENTS = [
  { event: 'start', country: 'FI', player_id: 'p', session_id: 's1', ts: '2026-11-01T00:00:00' },
  { event: 'end', player_id: 'p', session_id: 's1', ts: '2026-11-01T00:10:00' },
];
const accepted = (n = 2): ScriptedAnswer => ({
  status: 202,
  body: { batch_id: 'b-1', accepted: n, rejected: [] },
});
const unavailable = (retryAfter = '1'): ScriptedAnswer => ({
  status: 503,
  headers: { 'retry-after': retryAfter },
  body: { error: { code: 'queue_unavailable', message: 'try later', details: [] } },
});

describe('posting one batch to the service', () => {
  let server: ScriptedServer | undefined;
  const delays: number[] = [];
  const options = (url: string, retries = 3): PosterOptions => ({
    url,
    policy: { retries, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 },
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
    random: () => 0,
  });
  afterEach(async () => {
    delays.length = 0;
    await server?.close();
    server = undefined;
  });

  it('sends the events as a JSON array with an Idempotency-Key and reports what was accepted', async () => {
    server = await ScriptedServer.start(() => ({
      status: 202,
      body: {
        batch_id: 'b-1',
        accepted: 1,
        rejected: [{ index: 1, code: 'expired', message: '…' }],
      },
    }));
    const outcome = await postBatch(EVENTS, 'key-7', options(server.url));
    expect(outcome).to.deep.equal({
      kind: 'accepted',
      batchId: 'b-1',
      accepted: 1,
      rejected: new Map([['expired', 1]]),
      rejectedAt: new Map([[1, 'expired']]),
      retries: 0,
    });
    const [request] = server.requests;
    expect(request?.path).to.equal('/v1/batches');
    expect(request?.headers['content-type']).to.equal('application/json');
    expect(request?.headers['idempotency-key']).to.equal('key-7');
    expect(JSON.parse(request?.body ?? '')).to.deep.equal(EVENTS);
  });

  it('retries a 503 after its Retry-After, with the same key, until the batch is taken', async () => {
    server = await ScriptedServer.start((_, n) => (n <= 2 ? unavailable('2') : accepted()));
    const outcome = await postBatch(EVENTS, 'key-1', options(server.url));
    expect(outcome).to.include({ kind: 'accepted', retries: 2 });
    expect(delays).to.deep.equal([2000, 2000]);
    expect(new Set(server.requests.map((r) => r.headers['idempotency-key']))).to.deep.equal(
      new Set(['key-1']),
    );
  });

  it('backs off exponentially when the 503 has no Retry-After', async () => {
    server = await ScriptedServer.start((_, n) =>
      n <= 3 ? { status: 503, body: {} } : accepted(),
    );
    await postBatch(EVENTS, 'k', options(server.url));
    expect(delays).to.deep.equal([50, 100, 200]);
  });

  it('retries a dropped connection, since the batch may not have arrived', async () => {
    server = await ScriptedServer.start((_, n) =>
      n === 1 ? { status: 0, hangUp: true } : accepted(),
    );
    expect(await postBatch(EVENTS, 'k', options(server.url))).to.include({
      kind: 'accepted',
      retries: 1,
    });
  });

  it('counts the batch lost when the retries run out', async () => {
    server = await ScriptedServer.start(() => unavailable());
    const outcome = await postBatch(EVENTS, 'k', options(server.url, 2));
    expect(outcome).to.deep.equal({ kind: 'lost', reason: '503, 2 retries', retries: 2 });
    expect(server.requests).to.have.length(3);
  });

  it('sends the events as NDJSON, one per line, when asked to', async () => {
    server = await ScriptedServer.start(() => accepted());
    await postBatch(EVENTS, 'k', { ...options(server.url), format: 'ndjson' });
    const [request] = server.requests;
    expect(request?.headers['content-type']).to.equal('application/x-ndjson');
    expect(request?.body.split('\n').map((line) => JSON.parse(line) as unknown)).to.deep.equal(
      EVENTS,
    );
  });

  it('counts the batch lost, without retrying, on an answer other than 202, 400 or 503', async () => {
    server = await ScriptedServer.start(() => ({
      status: 413,
      body: { error: { code: 'payload_too_large', message: 'too big', details: [] } },
    }));
    const outcome = await postBatch(EVENTS, 'k', options(server.url));
    expect(outcome).to.deep.equal({
      kind: 'lost',
      reason: 'HTTP 413 payload_too_large',
      retries: 0,
    });
    expect(server.requests).to.have.length(1);
  });

  it("counts a 400's events as rejected, by each event's own code when the service lists them", async () => {
    server = await ScriptedServer.start(() => ({
      status: 400,
      body: {
        error: {
          code: 'no_valid_events',
          message: '…',
          details: [
            { index: 0, code: 'expired', message: '…' },
            { index: 1, code: 'invalid_event', message: '…' },
          ],
        },
      },
    }));
    const outcome = await postBatch(EVENTS, 'k', options(server.url));
    expect(outcome).to.deep.equal({
      kind: 'refused',
      rejected: new Map([
        ['expired', 1],
        ['invalid_event', 1],
      ]),
      retries: 0,
    });
  });

  it('counts every event of a batch refused as a whole under the error code', async () => {
    server = await ScriptedServer.start(() => ({
      status: 400,
      body: { error: { code: 'too_many_events', message: '…', details: [] } },
    }));
    expect(await postBatch(EVENTS, 'k', options(server.url))).to.deep.equal({
      kind: 'refused',
      rejected: new Map([['too_many_events', 2]]),
      retries: 0,
    });
  });

  it('counts the batch lost after retrying a service that is not there', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const outcome = await postBatch(EVENTS, 'k', options(url, 2));
    expect(outcome).to.deep.equal({ kind: 'lost', reason: 'ECONNREFUSED, 2 retries', retries: 2 });
    expect(delays).to.have.length(2);
  });
});
