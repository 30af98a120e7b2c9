// The callbacks passed to page.$eval and page.waitForFunction run in the browser.
/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import type { Browser, Page } from 'puppeteer-core';
import { createKey } from '../../ops/lib/api-keys.ts';
import { ApiKeys } from '../../src/storage/api-keys.ts';
import { openBrowser } from '../helpers/browser.ts';
import { startEvent } from '../helpers/events.ts';
import { TestService } from '../helpers/service.ts';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

describe('the dashboard of a service that checks keys (AUTH=on, the default)', function () {
  this.timeout(120_000);
  let service: TestService;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const refused: string[] = [];

  before(async () => {
    if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium)');
    service = await TestService.start({ overrides: { AUTH: 'on' } });
    ({ browser, page } = await openBrowser(CHROMIUM, problems));
    page.on('response', (r) => {
      if (r.status() === 401 || r.status() === 403) refused.push(r.url());
    });
    await page.goto(`${service.api.url}/dashboard`, { waitUntil: 'networkidle0' });
  });
  after(async () => {
    await (browser as Browser | undefined)?.close();
    await (service as TestService | undefined)?.close();
  });

  it('asks for the key npm start printed before calling the API, with no 401 and no console error', async () => {
    const prompt = await page.$eval('#key-prompt', (el) => el.textContent);
    expect(prompt).to.include('paste the key `npm start` printed');
    expect(await page.$eval('#key-prompt', (el) => (el as HTMLElement).offsetHeight)).to.be.above(
      0,
    );
    expect(await page.evaluate(() => document.activeElement?.id)).to.equal('api-key');
    expect(refused).to.deep.equal([]);
    expect(problems).to.deep.equal([]);
    expect(await page.$eval('#starts-message', (el) => el.textContent)).to.equal('');
  });

  it('shows the data once a read key is entered, and the prompt is gone', async () => {
    const store = new ApiKeys(service.ks.client, service.ks.keyspace);
    const ingest = (await createKey(store, 'game', ['ingest'])).key;
    const read = (await createKey(store, 'dashboard', ['read'])).key;
    const posted = await service.post([startEvent('k-1', 'p-k', 'SE', Date.now() - 60_000)], {
      authorization: `Bearer ${ingest}`,
    });
    expect(posted.status).to.equal(202);
    await service.drained();
    await page.type('#api-key', read);
    await page.click('#key-form button');
    await page.waitForFunction(() => document.querySelector('#starts-total')?.textContent === '1');
    expect(await page.$eval('#key-prompt', (el) => el.textContent)).to.equal('');
    expect(refused).to.deep.equal([]);
    expect(problems).to.deep.equal([]);
  });
});
