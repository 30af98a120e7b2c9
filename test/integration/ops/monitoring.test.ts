import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { parse } from 'yaml';
import { waitFor } from '../../../ops/lib/process.ts';
import { endEvent, startEvent } from '../../helpers/events.ts';
import { TestService } from '../../helpers/service.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (file: string) => fs.readFileSync(`${ROOT}${file}`, 'utf8');

interface Rules {
  groups: { rules: { alert: string; expr: string }[] }[];
}
interface Dashboard {
  panels: { title: string; targets: { expr: string; datasource: { uid: string } }[] }[];
}

const rules = parse(read('ops/prometheus/alerts.yml')) as Rules;
const dashboard = JSON.parse(read('ops/grafana/dashboards/player-sessions.json')) as Dashboard;

// Words of PromQL that are not metric names, and the one series Prometheus makes itself.
const KEYWORDS = new Set(['by', 'without', 'and', 'or', 'unless', 'on', 'ignoring', 'bool']);
const PROMETHEUS_OWN = new Set(['up']);

/** The metric names an expression reads: identifiers that are not functions, labels or keywords. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((w) => !KEYWORDS.has(w) && !/^\d/.test(w));
}

/** Series names as the scrape shows them, from `# TYPE` lines (a histogram's three series). */
function exportedSeries(metricsText: string): Set<string> {
  const names = new Set<string>(PROMETHEUS_OWN);
  for (const [, name, type] of metricsText.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === 'histogram' || type === 'summary')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name!}${suffix}`);
  }
  return names;
}

describe('the operator’s Prometheus and Grafana files', function () {
  this.timeout(60_000);

  it('pass promtool: the alert rules, and the scrape config that loads them', () => {
    for (const args of [
      ['check', 'rules', 'ops/prometheus/alerts.yml'],
      ['check', 'config', 'ops/prometheus/prometheus.yml'],
    ]) {
      const result = spawnSync('promtool', args, { cwd: ROOT, encoding: 'utf8' });
      expect(result.error, 'promtool (Debian package prometheus) must be installed').to.equal(
        undefined,
      );
      expect(result.status, `${args.join(' ')}\n${result.stdout}${result.stderr}`).to.equal(0);
    }
  });

  it('alert on a growing backlog, slow batches, readiness, failed jobs and 5xx answers', () => {
    const alerts = rules.groups.flatMap((g) => g.rules.map((r) => r.alert));
    for (const alert of [
      'QueueBacklogGrowing',
      'BatchEndToEndSlow',
      'ReadinessFailing',
      'FailedJobs',
      'High5xxRate',
    ])
      expect(alerts).to.include(alert);
  });

  it('read Grafana’s data from the provisioned Prometheus data source', () => {
    const source = parse(read('ops/grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { uid: string; url: string }[];
    };
    expect(source.datasources[0]?.url).to.equal('http://prometheus:9090');
    const uids = new Set(dashboard.panels.flatMap((p) => p.targets.map((t) => t.datasource.uid)));
    expect([...uids]).to.deep.equal([source.datasources[0]?.uid]);
  });

  describe('against the metrics a running API and worker export', () => {
    let service: TestService;
    let exported: Set<string>;

    before(async () => {
      // The worker publishes its metrics for /metrics every interval: a short one, not 5 s.
      service = await TestService.start({ overrides: { METRICS_PUBLISH_INTERVAL_MS: '200' } });
      const t = Date.now() - 60_000;
      await service.post([startEvent('m-1', 'p-m', 'SE', t), endEvent('m-1', 'p-m', t + 1000)]);
      await service.drained();
      let text = '';
      const published = async () =>
        (text = await (await fetch(`${service.api.url}/metrics`)).text()).includes(
          '# TYPE batch_end_to_end_seconds ',
        );
      await waitFor(published, 20_000, 100);
      exported = exportedSeries(text);
    });
    after(() => service.close());

    it('find the worker’s and the API’s metrics in one scrape', () => {
      expect(exported).to.include.members([
        'events_processed_total',
        'http_request_duration_seconds_bucket',
      ]);
    });

    it('use only metric names the code exports, in every alert rule', () => {
      for (const rule of rules.groups.flatMap((g) => g.rules)) {
        const names = metricNames(rule.expr);
        expect(names, rule.alert).not.to.be.empty;
        for (const name of names)
          expect(exported.has(name), `${rule.alert}: ${name}`).to.equal(true);
      }
    });

    it('use only metric names the code exports, in every Grafana panel', () => {
      for (const panel of dashboard.panels)
        for (const target of panel.targets) {
          const names = metricNames(target.expr);
          expect(names, panel.title).not.to.be.empty;
          for (const name of names)
            expect(exported.has(name), `${panel.title}: ${name}`).to.equal(true);
        }
    });
  });
});

describe('reading metric names from PromQL', () => {
  it('skips functions, labels, ranges, grouping and keywords', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(a_bucket{route="/x", status=~"5.."}[5m]))) > 1 and b',
      ),
    ).to.deep.equal(['a_bucket', 'b']);
  });
});
