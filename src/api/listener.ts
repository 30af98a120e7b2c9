import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type Koa from 'koa';
import type { Config } from '../config/env.ts';

export interface Listener {
  readonly url: string;
  readonly server: http.Server;
  /** Stops taking connections and resolves once the requests in flight are answered. */
  close(): Promise<void>;
}

/**
 * An HTTP server for a Koa app, hardened against slow and numerous clients: a client must send
 * its headers within `headersTimeoutMs` and its whole request within `requestTimeoutMs` (else
 * 408 and the connection is closed), and at most `maxConnections` connections are open at once
 * (further ones are closed on arrival). Node checks the timeouts every
 * `connectionsCheckingInterval` (30 s by default, which would let a slow client live that much
 * longer), so the check runs every second.
 */
export async function listen(app: Koa, port: number, http_: Config['http']): Promise<Listener> {
  const handle = app.callback();
  const server = http.createServer(
    {
      headersTimeout: http_.headersTimeoutMs,
      requestTimeout: http_.requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1000, http_.headersTimeoutMs),
    },
    (req, res) => void handle(req, res),
  );
  server.maxConnections = http_.maxConnections;
  // Keep-alive connections must not hold a closing server open past the shutdown deadline.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, http_.host, () => resolve());
  });
  const address = (server.address() as AddressInfo).port;
  const host = http_.host === '0.0.0.0' ? '127.0.0.1' : http_.host;
  return {
    url: `http://${host}:${address}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
