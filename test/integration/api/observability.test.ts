import fs from 'node:fs';
import { expect } from 'chai';
import { waitFor } from '../../../ops/lib/process.ts';
import { startApiServer } from '../../../src/api/server.ts';
import { endEvent, startEvent } from '../../helpers/events.ts';
import { testConfig } from '../../helpers/env.ts';
import { captureLogs } from '../../helpers/log-lines.ts';
import { TestService, silentLogger } from '../../helpers/service.ts';
import { migratedKeyspace } from '../../helpers/cassandra.ts';

/** The value of the first sample of `name` whose labels include all of `labels`. */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const present = new Map(
      [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => present.get(k) === v)) return Number(m[3]);
  }
  return undefined;
}

/**
 * The metric families of an exposition that README's list of metrics does not name (the runtime's
 * process_ and nodejs_ families aside), and how many it checked.
 */
function undocumented(text: string): { checked: number; missing: string[] } {
  const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const families = [...text.matchAll(/^# HELP (\w+) /gm)].map((m) => m[1]!);
  const own = families.filter((f) => !/^(process|nodejs)_/.test(f));
  return { checked: own.length, missing: own.filter((f) => !readme.includes(`\`${f}\``)) };
}

describe('metrics and logs', function () {
  this.timeout(30_000);

  it('exposes HTTP latency by route, queue depth, job latency, events by code and anomalies, workers included', async () => {
    const service = await TestService.start({ overrides: { METRICS_PUBLISH_INTERVAL_MS: '200' } });
    try {
      const t = Date.now() - 60_000;
      await service.post([
        startEvent('s-m', 'p-m', 'FI', t),
        endEvent('s-m', 'p-m', t - 1000),
        endEvent('s-old', 'p-m', t - 400 * 86_400_000),
      ]);
      await service.drained();
      // The worker publishes its metrics every interval; the API merges the latest.
      let text = '';
      const published = await waitFor(
        async () => {
          const response = await fetch(`${service.api.url}/metrics`);
          expect(response.headers.get('content-type')).to.match(/^text\/plain/);
          text = await response.text();
          // Every worker series of the batch, not one: a snapshot can be taken between two of
          // its observations (one read so in a loaded CI rehearsal lacked a step's count).
          const worker = (name: string, labels: Record<string, string> = {}) =>
            sample(text, name, { process: 'worker', ...labels }) === 1;
          return (
            worker('batch_end_to_end_seconds_count') &&
            worker('batch_processing_duration_seconds_count', { result: 'done' }) &&
            ['record', 'decide_apply', 'rollup_wait'].every((step) =>
              worker('batch_step_duration_seconds_count', { step }),
            )
          );
        },
        10_000,
        100,
      );
      expect(published, 'the worker published its metrics').to.be.true;
      expect(
        sample(text, 'http_request_duration_seconds_count', {
          route: '/v1/batches',
          status: '202',
          process: 'api',
        }),
      ).to.equal(1);
      expect(sample(text, 'queue_jobs', { state: 'waiting' })).to.equal(0);
      expect(sample(text, 'queue_jobs', { state: 'active' })).to.equal(0);
      expect(
        sample(text, 'batch_processing_duration_seconds_count', {
          process: 'worker',
          result: 'done',
        }),
      ).to.equal(1);
      for (const step of ['record', 'decide_apply', 'rollup_wait'])
        expect(
          sample(text, 'batch_step_duration_seconds_count', { process: 'worker', step }),
        ).to.equal(1);
      expect(sample(text, 'batch_end_to_end_seconds_count', { process: 'worker' })).to.equal(1);
      expect(sample(text, 'events_accepted_total')).to.equal(2);
      expect(sample(text, 'events_rejected_total', { code: 'expired' })).to.equal(1);
      expect(sample(text, 'session_anomalies_total', { kind: 'end_before_start' })).to.equal(1);
      // What has not happened yet is there at 0, so a dashboard panel shows 0 rather than "No data".
      expect(sample(text, 'events_rejected_total', { code: 'ts_in_future' })).to.equal(0);
      expect(sample(text, 'batches_refused_total', { reason: 'backlog' })).to.equal(0);
      expect(sample(text, 'batches_refused_total', { reason: 'memory' })).to.equal(0);
      expect(sample(text, 'session_anomalies_total', { kind: 'player_mismatch' })).to.equal(0);
      const failed = { reason: 'bug', result: 'failed', process: 'worker' };
      expect(sample(text, 'batch_job_failures_total', failed)).to.equal(0);
      expect(sample(text, 'rollup_seconds_total', { process: 'worker' })).to.be.at.least(1);
      // The README's list of metrics names every family the service exports (runtime ones aside).
      const { checked, missing } = undocumented(text);
      expect(checked).to.be.greaterThan(10);
      expect(missing).to.deep.equal([]);
      // One family per metric name, even though the API and the worker both export process metrics.
      const help = text
        .split('\n')
        .filter((l) => l.startsWith('# HELP process_cpu_user_seconds_total'));
      expect(help).to.have.length(1);
    } finally {
      await service.close();
    }
  });

  it('exports, and README documents, the refusals of an API that waits for Redis replicas', async () => {
    // Only an API with REDIS_MIN_REPLICAS_ACK > 0 has the counter; the test above runs without.
    const config = testConfig({ REDIS_MIN_REPLICAS_ACK: '1' });
    const ks = await migratedKeyspace(config);
    const api = await startApiServer(config, silentLogger);
    try {
      const text = await (await fetch(`${api.url}/metrics`)).text();
      expect(text).to.match(/^# HELP pss_replica_ack_refusals_total /m);
      expect(undocumented(text).missing).to.deep.equal([]);
    } finally {
      await api.close();
      await ks.drop();
    }
  });

  it('stamps the request id on every log line written while serving a request', async () => {
    const config = testConfig();
    const ks = await migratedKeyspace(config);
    const { logger, logContext, lines } = captureLogs('api');
    const api = await startApiServer({ ...config, logLevel: 'info' }, logger, logContext);
    try {
      const response = await fetch(`${api.url}/v1/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-abc-123' },
        body: JSON.stringify([endEvent('s-log', 'p-log', Date.now())]),
      });
      expect(response.status).to.equal(202);
      expect(response.headers.get('x-request-id')).to.equal('req-abc-123');
      const generated = await fetch(`${api.url}/healthz`);
      expect(generated.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
      // pino writes asynchronously: wait for the request's own line.
      await waitFor(
        () => lines.some((l) => l.msg === 'request' && l.req_id === 'req-abc-123'),
        2000,
        10,
      );
      const ofRequest = lines.filter((l) => l.req_id === 'req-abc-123');
      expect(ofRequest.map((l) => l.msg)).to.have.members(['batch accepted', 'request']);
      expect(
        lines.filter((l) => l.msg === 'batch accepted').every((l) => l.req_id === 'req-abc-123'),
      ).to.be.true;
      expect(ofRequest.every((l) => l.module !== undefined && l.name === 'api')).to.be.true;
    } finally {
      await api.close();
      await ks.drop();
    }
  });
});
