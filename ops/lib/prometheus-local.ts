import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpsError } from './errors.ts';
import type { LocalSettings } from './local-settings.ts';
import { localPrometheusConfig, type ScrapeTarget } from './prometheus-config.ts';
import { readPid, removePidFile, run, spawnDetached, terminate, waitFor } from './process.ts';

const RULES_FILE = fileURLToPath(new URL('../prometheus/alerts.yml', import.meta.url));

/**
 * A local Prometheus for a run without Docker: Debian's `prometheus` on the PATH, scraping the API
 * with the shipped alert rules, its config, data and log under the local stack's directory.
 */
export class LocalPrometheus {
  readonly dir: string;
  private readonly pidFile: string;
  private readonly configFile: string;
  private readonly logFile: string;

  constructor(
    private readonly local: LocalSettings,
    private readonly say: (line: string) => void = console.log,
  ) {
    this.dir = path.join(local.dir, 'prometheus');
    this.pidFile = path.join(this.dir, 'prometheus.pid');
    this.configFile = path.join(this.dir, 'prometheus.yml');
    this.logFile = path.join(this.dir, 'prometheus.log');
  }

  get url(): string {
    return `http://127.0.0.1:${this.local.prometheusPort}`;
  }

  async isUp(): Promise<boolean> {
    try {
      return (await fetch(`${this.url}/-/ready`, { signal: AbortSignal.timeout(1500) })).ok;
    } catch {
      return false;
    }
  }

  /**
   * Writes the config for `target` and starts Prometheus on it; one already running from this
   * checkout reloads the config instead (SIGHUP). Returns whether it started one.
   */
  async start(target: ScrapeTarget): Promise<boolean> {
    if (target.keyFile !== undefined && !fs.existsSync(target.keyFile))
      throw new OpsError(
        `The API key file ${target.keyFile} does not exist.`,
        '`npm start` writes its development key there; or pass --key-file with an admin key, or run the API with ADMIN_PORT.',
      );
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(
      this.configFile,
      localPrometheusConfig({ target, rulesFile: RULES_FILE, intervalSeconds: 5 }),
    );
    const running = this.pid();
    if (running !== undefined) {
      process.kill(running, 'SIGHUP');
      this.say(`Prometheus (pid ${running}) already runs; it reloaded ${this.configFile}.`);
      return false;
    }
    if (await this.isUp())
      throw new OpsError(
        `Another Prometheus already answers on ${this.url}.`,
        'Stop it, or set LOCAL_PROMETHEUS_PORT to a free port.',
      );
    if ((await run('prometheus', ['--version'])).missing)
      throw new OpsError(
        'prometheus was not found on the PATH.',
        'Install it (Debian/Ubuntu: `sudo apt-get install prometheus`).',
      );
    const pid = spawnDetached(
      'prometheus',
      [
        `--config.file=${this.configFile}`,
        `--storage.tsdb.path=${path.join(this.dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${this.local.prometheusPort}`,
      ],
      { cwd: this.dir, logFile: this.logFile, pidFile: this.pidFile },
    );
    if (
      !(await waitFor(async () => (await this.isUp()) || this.pid() === undefined, 30_000, 200)) ||
      this.pid() === undefined
    ) {
      await this.stop();
      throw new OpsError(`Prometheus did not become ready on ${this.url}.`, `See ${this.logFile}.`);
    }
    this.say(
      `Started Prometheus on ${this.url} (pid ${pid}), scraping ${target.address}/metrics` +
        `${target.keyFile ? ` with the key in ${target.keyFile}` : ''}; config ${this.configFile}`,
    );
    return true;
  }

  async stop(): Promise<boolean> {
    const pid = this.pid();
    if (pid === undefined) return false;
    this.say(`Stopping Prometheus (pid ${pid}) ...`);
    await terminate(pid, 10_000);
    removePidFile(this.pidFile, pid);
    return true;
  }

  pid(): number | undefined {
    return readPid(this.pidFile, 'prometheus');
  }
}
