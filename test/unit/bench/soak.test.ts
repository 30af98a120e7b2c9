import { expect } from 'chai';
import { soakSvg } from '../../../ops/bench/soak/chart.ts';
import { slopePerMinute, soakChecks } from '../../../ops/bench/soak/checks.ts';
import { SERIES, toCsv, type SoakSample } from '../../../ops/bench/soak/sample.ts';

/** A 30-minute soak's samples, every 10 s, steady unless `change` says otherwise. */
function run(change: (s: SoakSample) => Partial<SoakSample> = () => ({})): SoakSample[] {
  return Array.from({ length: 181 }, (_, i) => {
    const s: SoakSample = {
      t: i * 10,
      apiRssMiB: 120,
      workerRssMiB: 150,
      apiLagMs: 12,
      workerLagMs: 15,
      redisUsedMiB: 10 + (i * 1500 * 181) / 1048576, // 150 records/s of 181 B
      cassandraHeapMiB: 600,
      pendingCompactions: 1,
      postP99Ms: 40,
      getP99Ms: 30,
      backlog: 20,
      errors: 0,
      accepted: i * 1500,
    };
    return { ...s, ...change(s) };
  });
}

const failed = (samples: SoakSample[]) =>
  soakChecks(samples)
    .filter((c) => !c.pass)
    .map((c) => c.name);

describe('the soak checks', () => {
  it('pass a steady run whose Redis grows by its done records alone', () => {
    expect(failed(run())).to.deep.equal([]);
  });

  it('tell a warm-up from a leak: growth in the first five minutes passes, growth after fails', () => {
    const warmUp = run((s) => ({ apiRssMiB: 80 + Math.min(s.t, 300) * 0.2 }));
    expect(failed(warmUp)).to.deep.equal([]);
    const leak = run((s) => ({ workerRssMiB: 150 + s.t / 60 })); // 1 MiB/min throughout
    expect(failed(leak)).to.deep.equal(['worker RSS flat']);
  });

  it('fail on any error, on Redis outgrowing its records, on a p99 that degrades, on a growing backlog', () => {
    expect(failed(run((s) => ({ errors: s.t === 900 ? 1 : 0 })))).to.deep.equal(['zero errors']);
    expect(failed(run((s) => ({ redisUsedMiB: s.redisUsedMiB + s.t / 30 })))).to.deep.equal([
      'Redis grows only by done records',
    ]);
    expect(failed(run((s) => ({ getP99Ms: s.t > 1500 ? 50 : 30 })))).to.deep.equal([
      'GET p99 steady',
    ]);
    expect(failed(run((s) => ({ backlog: s.t * 2 })))).to.deep.equal(['backlog flat']);
  });

  it('measure a slope per minute', () => {
    expect(
      slopePerMinute(
        run((s) => ({ backlog: s.t })),
        'backlog',
      ),
    ).to.be.closeTo(60, 1e-9);
  });
});

describe('the soak chart and table', () => {
  it('draw one line per series and write one CSV row per sample', () => {
    const samples = run();
    const svg = soakSvg(samples, 'a <soak>');
    expect(svg.match(/<polyline /g)).to.have.length(SERIES.length);
    expect(svg).to.include('a &lt;soak>');
    const csv = toCsv(samples).trim().split('\n');
    expect(csv).to.have.length(samples.length + 1);
    expect(csv[0]).to.match(/^t,apiRssMiB,/);
  });
});
