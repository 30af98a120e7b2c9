import puppeteer, { type Browser, type Page } from 'puppeteer-core';

/**
 * Debian's chromium, headless, with a page that records every console error or warning, page
 * error and failed request into `problems`: what the browser tests hold at zero.
 */
export async function openBrowser(
  executablePath: string,
  problems: string[],
): Promise<{ browser: Browser; page: Page }> {
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    // Root in a container has no user namespace for chromium's sandbox.
    args: ['--no-sandbox'],
  });
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page: ${String(err)}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.setViewport({ width: 1280, height: 900 });
  return { browser, page };
}
