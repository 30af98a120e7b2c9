// The callbacks passed to page.$$eval and page.waitForFunction run in the browser.
/// <reference lib="dom" />
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import type { OpenAPIObject } from 'openapi3-ts/oas31';
import type { Browser, Page } from 'puppeteer-core';
import { openBrowser } from '../helpers/browser.ts';
import { TestService } from '../helpers/service.ts';

// Debian's package (.ci/run installs it); nothing is downloaded by puppeteer-core.
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/**
 * The docs page under its Content-Security-Policy, in a real browser: a policy too strict for
 * Swagger UI shows as console errors ("… violates the following Content Security Policy
 * directive …") and as a page that does not render.
 */
describe('the docs page, in a real browser under its Content-Security-Policy', function () {
  this.timeout(120_000);
  let service: TestService;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium)');
    service = await TestService.start({ workers: 0 });
    ({ browser, page } = await openBrowser(CHROMIUM, problems));
    const response = await page.goto(`${service.api.url}/docs`, { waitUntil: 'networkidle0' });
    expect(response?.headers()['content-security-policy']).to.match(/^default-src 'self'/);
  });
  after(async () => {
    await (browser as Browser | undefined)?.close();
    await (service as TestService | undefined)?.close();
  });

  it('renders every operation of /openapi.json', async () => {
    const document = (await (
      await fetch(`${service.api.url}/openapi.json`)
    ).json()) as OpenAPIObject;
    const operationIds = Object.values(document.paths ?? {}).flatMap((item) =>
      Object.values(item as Record<string, { operationId?: string }>).flatMap((op) =>
        typeof op === 'object' && op.operationId ? [op.operationId] : [],
      ),
    );
    expect(operationIds.length).to.be.at.least(10);
    const shown = await page.$$eval('.opblock', (blocks) => blocks.map((b) => b.id));
    for (const id of operationIds)
      expect(
        shown.some((s) => s.endsWith(`-${id}`)),
        id,
      ).to.equal(true);
  });

  it('calls the API from "Try it out", which the policy lets through', async () => {
    const block = '[id$="-getHealth"]';
    await page.click(`${block} .opblock-summary`);
    await page.waitForSelector(`${block} .try-out__btn`);
    await page.click(`${block} .try-out__btn`);
    await page.waitForSelector(`${block} .execute`);
    await page.click(`${block} .execute`);
    await page.waitForFunction(
      (sel) =>
        document
          .querySelector(`${sel} .live-responses-table tr.response .response-col_status`)
          ?.textContent.trim() === '200',
      { timeout: 10_000 },
      block,
    );
  });

  it('logged no console error (no policy violation), page error or failed request', () => {
    expect(problems).to.deep.equal([]);
  });
});
