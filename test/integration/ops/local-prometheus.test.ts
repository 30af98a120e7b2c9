import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { parse } from 'yaml';
import { inheritedEnv } from '../../../src/config/env.ts';
import { createKey } from '../../../ops/lib/api-keys.ts';
import { freePort } from '../../../ops/lib/free-port.ts';
import { isAlive, run, waitFor } from '../../../ops/lib/process.ts';
import { TestService } from '../../helpers/service.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RULES = parse(fs.readFileSync(`${ROOT}ops/prometheus/alerts.yml`, 'utf8')) as {
  groups: { name: string; rules: { alert: string }[] }[];
};

interface Target {
  health: string;
  labels: Record<string, string>;
  lastScrape: string;
  lastError: string;
}
interface Rule {
  name: string;
  health: string;
  lastEvaluation: string;
}
interface Alert {
  labels: { alertname: string };
  state: string;
}

/**
 * The monitoring of a run without Docker: `npm run stack -- up --only prometheus` starts Debian's
 * Prometheus on a running API's /metrics (public port, admin key) with the shipped alert rules.
 */
describe('a local Prometheus started by the stack CLI', function () {
  this.timeout(120_000);
  let service: TestService;
  let dir: string;
  let prometheusPort: number;
  let stackEnv: NodeJS.ProcessEnv;

  const stackCli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'ops/stack.ts', ...args], {
      cwd: ROOT,
      env: stackEnv,
    });
  /** `up` of Prometheus alone, scraping the test's API with the key in `keyFile` (under dir). */
  const prometheusUp = (keyFile: string) =>
    stackCli(
      'up',
      '--only',
      'prometheus',
      '--target',
      new URL(service.api.url).host,
      '--key-file',
      path.join(dir, keyFile),
    );
  async function api<T>(query: string): Promise<T> {
    const response = await fetch(`http://127.0.0.1:${prometheusPort}/api/v1/${query}`);
    const body = (await response.json()) as { status: string; data: T };
    expect(body.status, query).to.equal('success');
    return body.data;
  }
  const targets = async () =>
    (await api<{ activeTargets: Target[] }>('targets?state=active')).activeTargets;
  const rules = async () =>
    (await api<{ groups: { name: string; rules: Rule[] }[] }>('rules')).groups.flatMap(
      (g) => g.rules,
    );
  const alerts = async () => (await api<{ alerts: Alert[] }>('alerts')).alerts;
  /** Waits until the target was scraped with `health` and every rule was evaluated since. */
  async function scrapedAndEvaluated(health: string): Promise<Target> {
    let target: Target | undefined;
    const settled = await waitFor(
      async () => {
        [target] = await targets();
        if (target?.health !== health) return false;
        const scraped = Date.parse(target.lastScrape);
        const evaluated = await rules();
        return (
          evaluated.length > 0 && evaluated.every((r) => Date.parse(r.lastEvaluation) > scraped)
        );
      },
      60_000,
      250,
    );
    expect(settled, `target ${health}: ${JSON.stringify(target)}`).to.equal(true);
    return target!;
  }

  before(async () => {
    // AUTH=on without ADMIN_PORT: /metrics is on the public port, behind an admin key.
    service = await TestService.start({
      overrides: { AUTH: 'on', METRICS_PUBLISH_INTERVAL_MS: '200' },
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'local-prometheus-'));
    prometheusPort = await freePort();
    stackEnv = inheritedEnv({
      LOCAL_STACK_DIR: dir,
      LOCAL_PROMETHEUS_PORT: String(prometheusPort),
    });
    const { key } = await createKey(service.keys, 'prometheus', ['admin']);
    fs.writeFileSync(path.join(dir, 'admin-key'), `${key}\n`, { mode: 0o600 });
    const up = await prometheusUp('admin-key');
    expect(up.code, up.stdout + up.stderr).to.equal(0);
  });

  after(async () => {
    const pidFile = path.join(dir, 'prometheus', 'prometheus.pid');
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    const down = await stackCli('down', '--only', 'prometheus');
    try {
      expect(down.code, down.stdout + down.stderr).to.equal(0);
      expect(isAlive(pid), 'prometheus still runs after `down`').to.equal(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await service.close();
    }
  });

  it('scrapes the API’s /metrics with the admin key: the target is up', async () => {
    const target = await scrapedAndEvaluated('up');
    expect(target.labels.job).to.equal('player-sessions');
    expect(target.labels.instance).to.equal(new URL(service.api.url).host);
    expect(target.lastError).to.equal('');
  });

  it('loads every shipped alert rule, evaluates them all, and fires none on a healthy service', async () => {
    await scrapedAndEvaluated('up');
    const loaded = await rules();
    expect(loaded.map((r) => r.name)).to.have.members(
      RULES.groups.flatMap((g) => g.rules.map((r) => r.alert)),
    );
    for (const rule of loaded) expect(rule.health, rule.name).to.equal('ok');
    expect(await alerts()).to.deep.equal([]);
  });

  it('reloads a new config on a second `up`: without a valid key the target is down and ApiDown pends', async () => {
    fs.writeFileSync(path.join(dir, 'wrong-key'), 'not-a-key\n');
    const up = await prometheusUp('wrong-key');
    expect(up.code, up.stdout + up.stderr).to.equal(0);
    const target = await scrapedAndEvaluated('down');
    expect(target.lastError).to.include('401');
    const pending = await waitFor(
      async () => (await alerts()).some((a) => a.labels.alertname === 'ApiDown'),
      30_000,
      250,
    );
    expect(pending, 'ApiDown is pending (it fires after 2 minutes)').to.equal(true);
  });
});
