import { expect } from 'chai';
import { TestService } from '../../helpers/service.ts';

describe('the docs page at /docs', function () {
  this.timeout(60_000);
  let service: TestService;

  before(async () => {
    service = await TestService.start({ workers: 0 });
  });
  after(async () => {
    await service.close();
  });

  it('is HTML that loads only assets the API serves itself, and they are served', async () => {
    const response = await fetch(`${service.api.url}/docs`);
    expect(response.headers.get('content-type')).to.match(/^text\/html/);
    const html = await response.text();
    expect(html).not.to.match(/https?:\/\//);
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(urls).to.have.length.of.at.least(3);
    for (const url of urls) {
      expect(url, url).to.match(/^\/(?!\/)/);
      const asset = await fetch(`${service.api.url}${url}`);
      expect(asset.status, url).to.equal(200);
      expect(
        Number(asset.headers.get('content-length') ?? (await asset.arrayBuffer()).byteLength),
        url,
      ).to.be.above(0);
    }
  });

  it('has a Content-Security-Policy that allows this origin only (and the stylesheet’s data: icons)', async () => {
    const response = await fetch(`${service.api.url}/docs`);
    const html = await response.text();
    const policy = new Map(
      (response.headers.get('content-security-policy') ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name!, values]),
    );
    expect(policy.get('default-src')).to.deep.equal(["'self'"]);
    expect(policy.get('img-src')).to.deep.equal(["'self'", 'data:']);
    expect(policy.get('object-src')).to.deep.equal(["'none'"]);
    expect(policy.get('frame-ancestors')).to.deep.equal(["'none'"]);
    // What such a policy blocks: inline scripts, styles and handlers (test/e2e/docs-page.test.ts
    // loads the page in a browser under it).
    expect(html).not.to.match(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(html).not.to.match(/<style|\sstyle=|\son[a-z]+=/i);
  });

  it('points Swagger UI at /openapi.json, with no request to the internet', async () => {
    const init = await (await fetch(`${service.api.url}/docs/assets/init.js`)).text();
    expect(init).to.include('"/openapi.json"');
    expect(init).to.include('validatorUrl: null');
    expect(init).not.to.match(/https?:\/\//);
  });
});
