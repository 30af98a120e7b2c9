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

/** Every two-letter code the runtime names: what a year of real traffic could list (~250). */
const NAMED = new Intl.DisplayNames(['en'], { type: 'region' });
const MANY = Array.from({ length: 26 * 26 }, (_, i) =>
  String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)),
).filter((code) => NAMED.of(code) !== code);

/** One start in each of MANY countries three days ago: outside the 24-hour window, inside 7 days. */
const manyCountries = (now: number) =>
  MANY.map((code) => startEvent(`m-${code}`, `p-m-${code}`, code, now - 72 * 60 * MINUTE));

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
const data = async <T>(page: Page, selector: string, name: string) =>
  JSON.parse(
    await page.$eval(selector, (el, n) => (el as HTMLElement).dataset[n] ?? 'null', name),
  ) as T;
const series = (page: Page, selector: string) =>
  data<[number[], number[]]>(page, selector, 'series');
/** The labels a chart's axis drew, and the values they stand at (dashboard.js records both). */
const axis = async (page: Page, selector: string, name: 'xLabels' | 'yLabels') => ({
  labels: await data<string[]>(page, selector, name),
  at: await data<number[]>(page, selector, `${name}At`),
});

describe('the dashboard, in a real browser', function () {
  this.timeout(120_000);
  let service: TestService;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const events = knownEvents(Date.now());

  before(async () => {
    if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium)');
    service = await TestService.start({ overrides: { MAX_BATCH_EVENTS: '1000' } });
    expect((await service.post(events)).status).to.equal(202);
    expect((await service.post(manyCountries(Date.now()))).status).to.equal(202);
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
    expect(table).to.deep.equal([
      ['Sweden', 'SE', '3'],
      ['Finland', 'FI', '2'],
      ['Norway', 'NO', '1'],
    ]);
    expect(table.map(([, code, starts]) => [code, starts])).to.deep.equal(
      api.countries.map((c) => [c.country, String(c.starts)]),
    );
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
    expect((await rows(page, '#countries-table')).map(([, c, n]) => [c, n])).to.deep.equal(
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
    const times = await page.$$eval('#sessions-table tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('time')].map((t) => t.dateTime)),
    );
    expect(times).to.deep.equal(api.sessions.map((s) => [s.start_ts, s.end_ts]));
    const shown = await rows(page, '#sessions-table');
    expect(shown.map((r) => r[2])).to.deep.equal(api.sessions.map((s) => s.country));
    expect(shown.map((r) => r[1])).to.deep.equal(['29 min 58.5 s', '50 min 0 s']);
    // Read as people write UTC times: no T, no Z, milliseconds only when there are some.
    expect(shown[0]![0]).to.match(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{3})?\d/);
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
      events.length + MANY.length,
    );
    const api = (await service.get<Pipeline>('/v1/pipeline')).body;
    expect(await text(page, '#accepted-total')).to.equal(String(api.events_accepted_total));
    expect(await text(page, '#processed-total')).to.equal(String(api.events_processed_total));
    expect(await text(page, '#backlog')).to.equal(String(api.backlog_jobs));
    // The mean to three significant digits; the p95 is a bucket's bound, as configured (0.025 s,
    // 10 s), never with zeros that claim a precision a histogram does not have.
    const mean = await text(page, '#e2e-mean');
    expect(mean).to.match(/^\d+(\.\d+)? s$/);
    expect(mean.replace(/ s$/, '').replace('.', '').replace(/^0+/, '')).to.have.length.at.most(3);
    expect(await text(page, '#e2e-p95')).to.match(/^(\d+|\d+\.\d*[1-9]) s$/);
    expect(await text(page, '#accepted-rate')).to.match(/^\d+\.\d$/);
  });

  it('labels the hourly axis in UTC, on whole UTC hours, whatever the browser’s time zone', async () => {
    for (const zone of ['America/New_York', 'Asia/Kolkata']) {
      const other = await browser.newPage();
      await other.emulateTimezone(zone);
      await other.goto(`${service.api.url}/dashboard`, { waitUntil: 'networkidle0' });
      expect(await other.evaluate(() => new Date(0).getTimezoneOffset())).to.not.equal(0);
      await other.waitForSelector('#country-chart[data-x-labels]');
      const { labels, at } = await axis(other, '#country-chart', 'xLabels');
      expect(at.length, zone).to.be.at.least(3);
      expect(
        labels.map((l) => l.split('\n')[0]),
        zone,
      ).to.deep.equal(at.map((t) => new Date(t * 1000).toISOString().slice(11, 16)));
      expect(
        at.filter((t) => t % 3600 !== 0),
        zone,
      ).to.deep.equal([]);
      await other.close();
    }
  });

  it('ticks counts in whole numbers on both charts', async () => {
    for (const chart of ['#countries-chart', '#country-chart']) {
      const { labels } = await axis(page, chart, 'yLabels');
      expect(labels, chart).to.include('0');
      expect(
        labels.filter((l) => !/^\d+$/.test(l)),
        chart,
      ).to.deep.equal([]);
    }
  });

  it('finds one of ~250 countries by name or code, listed in a box that keeps the page short', async () => {
    await page.select('#window', '168');
    const all = String(events.filter((e) => e.event === 'start').length + MANY.length);
    await page.waitForFunction(
      (n) => document.querySelector('#starts-total')?.textContent === n,
      {},
      all,
    );
    expect(await rows(page, '#countries-table')).to.have.length(MANY.length);
    for (const width of [1280, 390]) {
      await page.setViewport({ width, height: 900 });
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(height, `page height at ${width} px`).to.be.below(width === 1280 ? 2000 : 3200);
    }
    await page.setViewport({ width: 1280, height: 900 });
    await page.type('#country-filter', 'sweden');
    expect(await rows(page, '#countries-table')).to.deep.equal([['Sweden', 'SE', '4']]);
    await page.$eval('#country-filter', (el) => ((el as HTMLInputElement).value = ''));
    await page.type('#country-filter', 'no');
    expect((await rows(page, '#countries-table'))[0]).to.deep.equal(['Norway', 'NO', '2']);
    expect(await text(page, '#countries-shown')).to.match(/^\d+ of \d+ countries match$/);
    await page.$eval('#country-filter', (el) => {
      (el as HTMLInputElement).value = '';
      el.dispatchEvent(new Event('input'));
    });
    expect(await rows(page, '#countries-table')).to.have.length(MANY.length);
  });

  it('links only to pages that answer, and says that Bull Board is off without ADMIN_PASSWORD', async () => {
    expect(service.config.admin.password).to.equal(undefined);
    const links = await page.$$eval('a[href]', (as) => as.map((a) => a.href));
    expect(links).to.include(`${service.api.url}/docs`);
    for (const link of links) expect((await fetch(link)).status, link).to.not.equal(404);
    expect(await text(page, 'header nav')).to.include('Bull Board: off (set ADMIN_PASSWORD');
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
      // Each bar's label fits its share of the plot: none run into the next.
      const room = await page.evaluate(() => {
        const chart = document.querySelector<HTMLElement>('#countries-chart')!;
        const labels = JSON.parse(chart.dataset.xLabels ?? '[]') as string[];
        const context = document.createElement('canvas').getContext('2d')!;
        context.font = '12px system-ui, sans-serif';
        const widest = Math.max(...labels.map((l) => context.measureText(l).width));
        return { widest, share: chart.querySelector('.u-over')!.clientWidth / labels.length };
      });
      expect(room.widest, `bar labels at ${width} px`).to.be.below(room.share - 4);
      // The player table shows every column without scrolling sideways.
      const table = await page.$eval('#sessions-table', (t) => [
        t.parentElement!.scrollWidth,
        t.parentElement!.clientWidth,
      ]);
      expect(table[0], `player table at ${width} px`).to.be.at.most(table[1]!);
      // The pipeline's tiles fill their rows evenly: no tile alone on a row.
      const perRow = await page.$$eval('#pipeline > div', (tiles) => {
        const rows = new Map<number, number>();
        for (const t of tiles)
          rows.set((t as HTMLElement).offsetTop, (rows.get((t as HTMLElement).offsetTop) ?? 0) + 1);
        return [...rows.values()];
      });
      expect(new Set(perRow).size, `tiles per row at ${width} px`).to.equal(1);
      expect(perRow[0]).to.be.above(1);
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
    const compiled = (await import(dist)) as { dashboardRoutes: (s: unknown) => unknown };
    expect(compiled.dashboardRoutes({ auth: true, bullBoard: 'off' })).to.be.a('function');
  });
});
