// The callbacks passed to page.$eval and page.evaluate run in the browser.
/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Browser, Page } from 'puppeteer-core';
import { ensureBuilt } from '../../ops/lib/build.ts';
import { endEvent, startEvent, type RawEvent } from '../helpers/events.ts';
import { openBrowser } from '../helpers/browser.ts';
import { TestService } from '../helpers/service.ts';

// Debian's package (.ci/run installs it); nothing is downloaded by puppeteer-core.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const IMAGES = fileURLToPath(new URL('../../docs/images/', import.meta.url));
const MINUTE = 60_000;

interface CountriesStarts {
  total: number;
  countries: { country: string; starts: number }[];
}
interface CountryStarts {
  starts: number;
  hourly: { hour: string; starts: number }[];
}
interface Sessions {
  sessions: { start_ts: string; end_ts: string; country: string }[];
}
interface Pipeline {
  events_accepted_total: number;
  events_processed_total: number;
  backlog_jobs: number;
}

/** Known sessions: 3 in SE, 2 in FI, 1 in NO; the player p-dash completes two of them. */
function knownEvents(now: number): RawEvent[] {
  const starts: [string, string, string, number][] = [
    ['d-1', 'p-dash', 'SE', now - 200 * MINUTE],
    ['d-2', 'p-dash', 'FI', now - 90 * MINUTE],
    ['d-3', 'p-a', 'SE', now - 70 * MINUTE],
    ['d-4', 'p-b', 'SE', now - 20 * MINUTE],
    ['d-5', 'p-c', 'FI', now - 10 * MINUTE],
    ['d-6', 'p-d', 'NO', now - 5 * MINUTE],
  ];
  return [
    ...starts.map(([s, p, c, t]) => startEvent(s, p, c, t)),
    endEvent('d-1', 'p-dash', now - 150 * MINUTE),
    endEvent('d-2', 'p-dash', now - 60 * MINUTE - 1500),
  ];
}

const text = (page: Page, selector: string) => page.$eval(selector, (el) => el.textContent.trim());
const rows = (page: Page, table: string) =>
  page.$$eval(`${table} tbody tr`, (trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent.trim())),
  );
const series = async (page: Page, selector: string) =>
  JSON.parse(await page.$eval(selector, (el) => (el as HTMLElement).dataset.series ?? 'null')) as [
    number[],
    number[],
  ];

describe('the dashboard, in a real browser', function () {
  this.timeout(120_000);
  let service: TestService;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const events = knownEvents(Date.now());

  before(async () => {
    if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium)');
    service = await TestService.start();
    expect((await service.post(events)).status).to.equal(202);
    await service.drained();
    ({ browser, page } = await openBrowser(CHROMIUM, problems));
    await page.goto(`${service.api.url}/dashboard`, { waitUntil: 'networkidle0' });
  });
  after(async () => {
    // `before` may have failed before either was started.
    await (browser as Browser | undefined)?.close();
    await (service as TestService | undefined)?.close();
  });

  it('shows the total and the top countries exactly as the API counts them, in chart and table', async () => {
    const api = (await service.get<CountriesStarts>('/v1/countries/starts?hours=24')).body;
    expect(api.total).to.equal(6);
    expect(await text(page, '#starts-total')).to.equal(String(api.total));
    const table = await rows(page, '#countries-table');
    expect(table).to.deep.equal(api.countries.map((c) => [c.country, String(c.starts)]));
    const [xs, ys] = await series(page, '#countries-chart');
    expect(xs).to.deep.equal([0, 1, 2]);
    expect(ys).to.deep.equal(api.countries.map((c) => c.starts));
  });

  it('draws the top country hour by hour with the API’s hourly series', async () => {
    const api = (await service.get<CountryStarts>('/v1/countries/SE/starts?hours=24')).body;
    expect(await text(page, '#country-total')).to.equal(String(api.starts));
    const [times, values] = await series(page, '#country-chart');
    // Every hour of the window is drawn; those the API does not list have no starts.
    expect(times.length).to.be.within(24, 25);
    const drawn = times.flatMap((t, i) => (values[i] ? [[t, values[i]]] : []));
    expect(drawn).to.deep.equal(api.hourly.map((h) => [Date.parse(h.hour) / 1000, h.starts]));
    expect(values.reduce((a, b) => a + b, 0)).to.equal(3);
  });

  it('follows a typed window, and explains a bad hours value', async () => {
    await page.select('#window', 'custom');
    await page.$eval('#hours', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#hours', '1');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('#starts-total')?.textContent === '3');
    const api = (await service.get<CountriesStarts>('/v1/countries/starts?hours=1')).body;
    expect(await rows(page, '#countries-table')).to.deep.equal(
      api.countries.map((c) => [c.country, String(c.starts)]),
    );

    await page.$eval('#hours', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#hours', 'ten');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#starts-message:not(:empty)');
    expect(await text(page, '#starts-message')).to.include('Hours must be a number above 0');
  });

  it('looks a player up with the keyboard and lists the completed sessions the API returns', async () => {
    await page.focus('#player');
    await page.keyboard.type('p-dash');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#sessions-table tbody tr');
    const api = (await service.get<Sessions>('/v1/players/p-dash/sessions?limit=20')).body;
    expect(api.sessions).to.have.length(2);
    const shown = await rows(page, '#sessions-table');
    expect(shown.map(([start, end, , country]) => [start, end, country])).to.deep.equal(
      api.sessions.map((s) => [s.start_ts, s.end_ts, s.country]),
    );
    expect(shown.map((r) => r[2])).to.deep.equal(['29 min 58.5 s', '50 min 0 s']);
  });

  it('says so for an unknown player', async () => {
    await page.$eval('#player', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#player', 'nobody-here');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#player-message:not(:empty)');
    expect(await text(page, '#player-message')).to.include('No completed sessions for player');
    expect(await rows(page, '#sessions-table')).to.deep.equal([]);
  });

  it('shows the pipeline’s figures as GET /v1/pipeline gives them', async () => {
    // Workers publish their counters every few seconds: wait until the processed total is in.
    await page.waitForFunction(
      (n) => document.querySelector('#processed-total')?.textContent === String(n),
      { timeout: 30_000 },
      events.length,
    );
    const api = (await service.get<Pipeline>('/v1/pipeline')).body;
    expect(await text(page, '#accepted-total')).to.equal(String(api.events_accepted_total));
    expect(await text(page, '#processed-total')).to.equal(String(api.events_processed_total));
    expect(await text(page, '#backlog')).to.equal(String(api.backlog_jobs));
    expect(await text(page, '#e2e-mean')).to.match(/^\d+\.\d{3} s$/);
    expect(await text(page, '#accepted-rate')).to.match(/^\d+\.\d$/);
  });

  it('labels every input and fits 1280 and 390 px wide, saving a screenshot of each', async () => {
    const unlabelled = await page.$$eval('input, select', (els) =>
      els.filter((el) => (el as HTMLInputElement).labels?.length === 0).map((el) => el.id),
    );
    expect(unlabelled).to.deep.equal([]);
    // The screenshots show the default window and the known player.
    await page.select('#window', '24');
    await page.$eval('#player', (el) => ((el as HTMLInputElement).value = 'p-dash'));
    await page.click('#player-form button');
    await page.waitForSelector('#sessions-table tbody tr');
    for (const width of [1280, 390]) {
      await page.setViewport({ width, height: 900 });
      // The charts follow the resize: each as wide as its container again (dashboard.js).
      await page.waitForFunction(
        () =>
          [...document.querySelectorAll<HTMLElement>('.uplot')].every(
            (chart) => chart.offsetWidth === (chart.parentElement!.clientWidth || 320),
          ),
        { timeout: 5000 },
      );
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(overflow, `page width at ${width} px`).to.be.at.most(width);
      await page.screenshot({ path: `${IMAGES}dashboard-${width}.png`, fullPage: true });
    }
  });

  it('sends an entered API key as a bearer token, and none once it is cleared', async () => {
    const sent = (path: string) =>
      page.waitForRequest((r) => r.url().includes(path)).then((r) => r.headers().authorization);
    await page.type('#api-key', 'k-dashboard');
    const withKey = sent('/v1/countries/starts');
    await page.click('#key-form button');
    expect(await withKey).to.equal('Bearer k-dashboard');
    await page.$eval('#api-key', (el) => ((el as HTMLInputElement).value = ''));
    const withoutKey = sent('/v1/countries/starts');
    await page.click('#key-form button');
    expect(await withoutKey).to.equal(undefined);
  });

  it('logged no console error, page error or failed request', () => {
    expect(problems).to.deep.equal([]);
  });

  it('finds its page and assets in the compiled build (dist/) too', async () => {
    await ensureBuilt();
    const dist = new URL('../../dist/src/api/routes/dashboard.js', import.meta.url).href;
    const compiled = (await import(dist)) as { dashboardRoutes: () => unknown };
    expect(compiled.dashboardRoutes()).to.be.a('function');
  });
});
