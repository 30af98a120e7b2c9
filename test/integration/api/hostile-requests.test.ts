import { expect } from 'chai';
import { waitFor } from '../../../ops/lib/process.ts';
import { MAX_JSON_DEPTH } from '../../../src/api/batches/read-batch-body.ts';
import { startApiServer, type ApiServer } from '../../../src/api/server.ts';
import { testConfig } from '../../helpers/env.ts';
import { captureLogs } from '../../helpers/log-lines.ts';
import { startEvent } from '../../helpers/events.ts';
import { rawExchange } from '../../helpers/raw-http.ts';
import { TestService, type HttpResult } from '../../helpers/service.ts';

const TOO_DEEP = `nested deeper than ${MAX_JSON_DEPTH} levels`;
const errorOf = (result: HttpResult) => result.body.error as { code: string; message: string };

describe('requests a client broke or built to hurt', function () {
  this.timeout(120_000);
  let service: TestService;
  let admin: Record<string, string>;
  const event = () => startEvent(`s-${Math.random()}`, 'p-hostile', 'FI', Date.now() - 60_000);

  before(async () => {
    service = await TestService.start({ workers: 0, overrides: { AUTH: 'on' } });
    admin = await service.keyHeaders('ingest', 'admin');
  });
  after(async () => {
    await service.close();
  });

  describe('a batch followed on its connection by bytes that are no HTTP request', () => {
    let api: ApiServer;
    const { logger, logContext, lines } = captureLogs('api');

    before(async () => {
      const config = testConfig({
        AUTH: 'on',
        CASSANDRA_KEYSPACE: service.config.cassandra.keyspace,
        QUEUE_PREFIX: service.config.queue.prefix,
      });
      api = await startApiServer({ ...config, logLevel: 'info' }, logger, logContext);
    });
    after(async () => {
      await api.close();
    });

    it('is a 400 request_aborted in the logs and the metrics, never a 500 or an error logged', async () => {
      // A key of its own: not yet in the lookup cache, so the API reads the body only after a
      // Cassandra round trip, by which time Node has refused the garbage and closed the connection.
      const { authorization } = await service.keyHeaders('ingest');
      const body = JSON.stringify([event()]);
      const answer = await rawExchange(
        api.url,
        'POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
          `Authorization: ${authorization}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
          `${body}GARBAGE\r\n\r\n`,
      );
      expect(answer).to.match(/^HTTP\/1\.1 400 Bad Request\r\n/); // Node's own, for the garbage
      const access = () => lines.find((l) => l.msg === 'request' && l.path === '/v1/batches');
      expect(await waitFor(() => access() !== undefined, 5000, 10)).to.equal(true);
      expect(access()).to.deep.include({ method: 'POST', status: 400 });
      expect(lines.filter((l) => (l.level as number) >= 50)).to.deep.equal([]);

      const metrics = await fetch(`${api.url}/metrics`, { headers: admin });
      const counted = (await metrics.text())
        .split('\n')
        .filter((l) => l.startsWith('http_request_duration_seconds_count{'));
      expect(counted.filter((l) => l.includes('route="/v1/batches"'))).to.deep.equal([
        'http_request_duration_seconds_count{process="api",method="POST",route="/v1/batches",status="400"} 1',
      ]);
      expect(counted.filter((l) => /status="5/.test(l))).to.deep.equal([]);
    });
  });

  describe('a body nested deeper than any batch (MAX_JSON_DEPTH)', () => {
    const bulk = (body: string, type = 'application/json') =>
      service.post(body, { ...admin, 'content-type': type }, '/v1/batches/bulk');
    const deepArrays = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
    /** A valid event whose ignored field `extra` takes the body to `depth` levels in all. */
    const eventAtDepth = (depth: number) => {
      const inner = depth - 2; // the body's array and the event's object
      const extra = '{"a":'.repeat(inner) + '1' + '}'.repeat(inner);
      return `[${JSON.stringify(event()).slice(0, -1)},"extra":${extra}}]`;
    };

    it('refuses 8 MB of [[[[…]]]] with 400 malformed_body, before parsing it', async () => {
      const result = await bulk(deepArrays(4_000_000));
      expect(result.status).to.equal(400);
      expect(result.body.error).to.deep.equal({
        code: 'malformed_body',
        message: `the body is ${TOO_DEEP}`,
        details: [],
      });
    });

    it('refuses {"events": [{"a": {"a": …}}]} 8 MB deep the same way', async () => {
      const levels = 1_300_000;
      const body = `{"events":[${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}]}`;
      const result = await bulk(body);
      expect(result.status).to.equal(400);
      expect(errorOf(result).message).to.equal(`the body is ${TOO_DEEP}`);
    });

    it('accepts a valid event carrying an ignored field as deep as the limit allows, and not one level more', async () => {
      const atLimit = await bulk(eventAtDepth(MAX_JSON_DEPTH));
      expect(atLimit.status).to.equal(202);
      expect(atLimit.body).to.deep.include({ accepted: 1, rejected: [] });
      const beyond = await bulk(eventAtDepth(MAX_JSON_DEPTH + 1));
      expect(beyond.status).to.equal(400);
      expect(errorOf(beyond).code).to.equal('malformed_body');
    });

    it('counts no bracket inside a string: an id full of them is an id', async () => {
      const id = `p-${'[{'.repeat(30)}`;
      const result = await service.post(
        [{ ...event(), player_id: id, note: ']]]]"\\"[[[['.repeat(20) }],
        admin,
      );
      expect(result.status).to.equal(202);
      expect(result.body).to.deep.include({ accepted: 1, rejected: [] });
    });

    it('rejects only its own event when one NDJSON line is too deep', async () => {
      const ndjson = [JSON.stringify(event()), deepArrays(1_000_000), JSON.stringify(event())];
      const result = await bulk(ndjson.join('\n'), 'application/x-ndjson');
      expect(result.status).to.equal(202);
      expect(result.body).to.deep.include({
        accepted: 2,
        rejected: [{ index: 1, code: 'invalid_event', message: `line 2 is ${TOO_DEEP}` }],
      });
    });
  });
});
