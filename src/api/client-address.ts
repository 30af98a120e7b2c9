import type Koa from 'koa';

/** Where the client's address is read from (TRUST_PROXY_HOPS, PROXY_IP_HEADER). */
export interface ProxyTrust {
  /** Proxies in front of the API, each appending the address it got the request from. */
  readonly trustedHops: number;
  readonly ipHeader: string;
}

/** The socket's peer is the client. */
export const NO_PROXY: ProxyTrust = { trustedHops: 0, ipHeader: 'X-Forwarded-For' };

/**
 * Makes `ctx.ip` the client's address: the one address that the per-address rate limit, the admin
 * login lockout and the access log use.
 *
 * With no trusted hop (the default) it is the socket's peer and no header is read, since anyone
 * can send any `X-Forwarded-For`. Behind N proxies that each append the address of their own peer
 * to the header, its rightmost N entries were written by them and everything further left by the
 * client: the client is the Nth entry from the right, written by the outermost proxy. Koa's
 * `maxIpsCount` keeps exactly the rightmost N entries, and `ctx.ip` is the first of those.
 * (A header with fewer than N entries, from a request that bypassed a proxy, yields its leftmost
 * entry: the API must be reachable only through its proxies.) Koa's `proxy` flag also makes it
 * believe X-Forwarded-Host and -Proto; the API decides nothing on either.
 */
export function trustProxies(app: Koa, trust: ProxyTrust): void {
  app.proxy = trust.trustedHops > 0;
  app.proxyIpHeader = trust.ipHeader;
  // 0 means "every entry" to Koa; with proxy off the header is not read at all.
  app.maxIpsCount = trust.trustedHops;
}
