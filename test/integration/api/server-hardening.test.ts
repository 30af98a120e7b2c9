import net from 'node:net';
import { expect } from 'chai';
import { startApiServer, type ApiServer } from '../../../src/api/server.ts';
import { waitFor } from '../../../ops/lib/process.ts';
import { testConfig } from '../../helpers/env.ts';
import { silentLogger } from '../../helpers/service.ts';

/** Opens a connection to `url`, sends `head`, then one byte of `trickle` every 100 ms; resolves with how long the server let it live. */
function slowClient(url: string, head: string, trickle: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname, () => socket.write(head));
    let i = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(trickle[i++ % trickle.length] ?? 'x');
    }, 100);
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - started);
    });
    // Never left behind if the server did not cut it.
    setTimeout(() => socket.destroy(), 15_000).unref();
  });
}

/** How many connections the API's server holds open now. */
function connections(api: ApiServer): Promise<number> {
  return new Promise((resolve, reject) =>
    api.server.getConnections((err, count) => (err ? reject(err) : resolve(count))),
  );
}

async function timedGet(url: string): Promise<{ status: number; ms: number }> {
  const started = Date.now();
  const response = await fetch(url);
  await response.arrayBuffer();
  return { status: response.status, ms: Date.now() - started };
}

describe('the hardened HTTP server', function () {
  this.timeout(60_000);
  let api: ApiServer;

  before(async () => {
    api = await startApiServer(
      testConfig({
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_REQUEST_TIMEOUT_MS: '2000',
      }),
      silentLogger,
    );
  });
  after(async () => {
    await api.close();
  });

  it('marks every response X-Content-Type-Options: nosniff: answers, errors, pages and files', async () => {
    const answers = await Promise.all([
      fetch(`${api.url}/healthz`),
      fetch(`${api.url}/nowhere`),
      fetch(`${api.url}/v1/batches`, { method: 'POST', body: 'x' }),
      fetch(`${api.url}/openapi.json`),
      fetch(`${api.url}/docs`),
      fetch(`${api.url}/docs/assets/swagger-ui.css`),
      fetch(`${api.url}/dashboard`),
      fetch(`${api.url}/dashboard/assets/dashboard.js`),
    ]);
    expect(answers.map((a) => a.status)).to.deep.equal([200, 404, 415, 200, 200, 200, 200, 200]);
    for (const answer of answers) {
      await answer.arrayBuffer();
      expect(answer.headers.get('x-content-type-options'), answer.url).to.equal('nosniff');
    }
  });

  it('cuts a client sending its headers a byte at a time after HTTP_HEADERS_TIMEOUT_MS, while a normal request is answered', async () => {
    const slow = slowClient(api.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\n', 'X-Slow: aaaaaaaaaa');
    const normal = await timedGet(`${api.url}/healthz`);
    const lived = await slow;
    expect(normal.status).to.equal(200);
    // The server checks its timeouts every second: cut by 1 + 1 s (+ scheduling). (Node may cut
    // earlier: it times a connection's headers from when its pooled parser was last reset.)
    expect(lived).to.be.below(2600);
  });

  it('cuts a client sending its body a byte at a time after HTTP_REQUEST_TIMEOUT_MS, while a normal request is answered', async () => {
    const head =
      'POST /v1/batches HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n';
    const slow = slowClient(api.url, head, '[{"event":"start"}');
    const normal = await timedGet(`${api.url}/healthz`);
    const lived = await slow;
    expect(normal.status).to.equal(200);
    expect(lived).to.be.below(3600);
  });
});

describe('the connection cap (HTTP_MAX_CONNECTIONS)', function () {
  this.timeout(60_000);
  let api: ApiServer;

  before(async () => {
    // Default timeouts: the tight ones above would cut the idle connections that fill the cap.
    api = await startApiServer(testConfig({ HTTP_MAX_CONNECTIONS: '20' }), silentLogger);
  });
  after(async () => {
    await api.close();
  });

  it('closes connections beyond HTTP_MAX_CONNECTIONS on arrival, and serves again once they are gone', async () => {
    const { hostname, port } = new URL(api.url);
    const open = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect(Number(port), hostname, () => resolve(s));
            s.on('error', () => undefined);
          }),
      ),
    );
    try {
      const accepted = async () => (await connections(api)) === 20;
      expect(await waitFor(accepted, 5000, 10), 'the server has accepted all twenty').to.be.true;
      // A raw socket: fetch would retry a dropped connection by itself.
      const refused = await new Promise<string>((resolve) => {
        const s = net.connect(Number(port), hostname, () =>
          s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
        );
        s.on('data', (d: Buffer) => resolve(`answered ${String(d).slice(0, 40)}`));
        s.on('error', () => undefined);
        s.on('close', () => resolve('closed'));
      });
      expect(refused).to.equal('closed');
    } finally {
      for (const s of open) s.destroy();
    }
    const gone = async () => (await connections(api)) === 0;
    expect(await waitFor(gone, 5000, 10), 'the server has seen all twenty go').to.be.true;
    expect((await timedGet(`${api.url}/healthz`)).status).to.equal(200);
  });
});

describe('the internal admin listener (ADMIN_PORT)', function () {
  this.timeout(60_000);
  let api: ApiServer;

  before(async () => {
    api = await startApiServer(
      testConfig({ AUTH: 'on', ADMIN_PORT: '0', ADMIN_PASSWORD: 'board-secret' }),
      silentLogger,
    );
  });
  after(async () => {
    await api.close();
  });

  const statusOf = async (url: string, headers: Record<string, string> = {}) => {
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    return response.status;
  };

  it('serves /metrics without a key and Bull Board behind its login there, and neither on the public port', async () => {
    const admin = api.admin?.url;
    expect(admin).to.be.a('string');
    expect(admin).to.not.equal(api.url);
    expect(await statusOf(`${admin}/metrics`)).to.equal(200);
    expect(await statusOf(`${admin}/admin/queues`)).to.equal(401);
    const basic = `Basic ${Buffer.from('admin:board-secret').toString('base64')}`;
    expect(await statusOf(`${admin}/admin/queues`, { authorization: basic })).to.equal(200);
    expect(await statusOf(`${api.url}/metrics`)).to.equal(404);
    expect(await statusOf(`${api.url}/admin/queues`, { authorization: basic })).to.equal(404);
    expect(await statusOf(`${api.url}/healthz`)).to.equal(200);
    expect(await statusOf(`${admin}/v1/countries/starts?hours=1`)).to.equal(404);
  });
});
