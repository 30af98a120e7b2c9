import { expect } from 'chai';
import { waitFor } from '../../../ops/lib/process.ts';
import type { PublicEvent } from '../../../ops/data/event-format.ts';
import { EventGenerator } from '../../../ops/data/generator.ts';
import { MINUTE_MS } from '../../../src/domain/duration.ts';
import { endEvent, startEvent } from '../../helpers/events.ts';
import { TestService, type HttpResult } from '../../helpers/service.ts';

describe('POST /v1/batches/bulk', function () {
  this.timeout(120_000);
  let service: TestService;
  // Sample-shaped events of the last day, as `npm run generate` writes them.
  const generated = (events: number, seed: number): PublicEvent[] => [
    ...new EventGenerator({ events, days: 1, seed, endMs: Date.now() - MINUTE_MS }).events(),
  ];

  const bulk = (body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> =>
    service.post(body, headers, '/v1/batches/bulk');
  const code = (result: HttpResult) => (result.body.error as { code: string }).code;

  before(async () => {
    service = await TestService.start();
  });
  after(async () => {
    await service.close();
  });

  it('takes 5,000 events in one request as one job, which the worker processes into the views', async () => {
    const events = generated(5000, 21);
    const jobsBefore = service.completions.total();
    const result = await bulk(events);
    expect(result.status).to.equal(202);
    expect(result.body).to.deep.include({ accepted: 5000, rejected: [] });
    await service.drained(90_000);
    const id = String(result.body.batch_id);
    expect(await waitFor(() => service.completions.count(id) === 1, 5000, 20)).to.be.true;
    expect(service.completions.total() - jobsBefore, 'jobs run for the request').to.equal(1);
    const status = await service.get(`/v1/batches/${String(result.body.batch_id)}`);
    expect(status.body).to.deep.include({ state: 'done', accepted: 5000 });
    const starts = await service.get<{ total: number }>('/v1/countries/starts?hours=48');
    expect(starts.body.total).to.equal(events.filter((e) => e.event === 'start').length);
  });

  it('refuses 5,001 events with 400 too_many_events, as a batch of 11 is refused on /v1/batches', async () => {
    const result = await bulk(generated(5001, 22));
    expect(result.status).to.equal(400);
    expect(code(result)).to.equal('too_many_events');
    expect(result.body.error).to.deep.include({
      message: 'a batch holds at most 5000 events; this one has 5001',
    });
  });

  it('refuses a body over BULK_MAX_BODY_BYTES (8 MiB) with 413 body_too_large', async () => {
    const result = await bulk(`[${'1,'.repeat(4 * 1024 * 1024)}1]`);
    expect(result.status).to.equal(413);
    expect(code(result)).to.equal('body_too_large');
  });

  it('queues the valid events of a mixed batch and lists the others by index', async () => {
    const t = Date.now() - MINUTE_MS;
    const events: unknown[] = generated(40, 23);
    events.splice(12, 0, startEvent('s-bad', 'p-bad', 'FIN', t));
    events.splice(30, 0, endEvent('s-old', 'p-old', t - 366 * 86_400_000), 'nonsense');
    const result = await bulk(events);
    expect(result.status).to.equal(202);
    expect(result.body.accepted).to.equal(40);
    expect(
      (result.body.rejected as { index: number; code: string }[]).map((r) => [r.index, r.code]),
    ).to.deep.equal([
      [12, 'invalid_event'],
      [30, 'expired'],
      [31, 'invalid_event'],
    ]);
  });

  it('reads NDJSON and honours Idempotency-Key as /v1/batches does: a repeat is the same batch', async () => {
    const ndjson = generated(300, 24)
      .map((e) => JSON.stringify(e))
      .join('\n');
    const headers = { 'content-type': 'application/x-ndjson', 'idempotency-key': 'bulk-once' };
    const first = await bulk(ndjson, headers);
    const again = await bulk(ndjson, headers);
    expect(first.status).to.equal(202);
    expect(again.body).to.deep.equal(first.body);
    expect(first.body.accepted).to.equal(300);
    expect(code(await bulk(`${ndjson}\n`, headers))).to.equal('idempotency_key_reused');
  });

  it('leaves the 1–10 contract of /v1/batches as it was', async () => {
    const events = generated(11, 25);
    expect((await service.post(events.slice(0, 10))).body.accepted).to.equal(10);
    const eleven = await service.post(events);
    expect(eleven.status).to.equal(400);
    expect((eleven.body.error as { code: string }).code).to.equal('too_many_events');
    const large = await service.post(`[${'1,'.repeat(40_000)}1]`);
    expect(large.status).to.equal(413);
  });
});
