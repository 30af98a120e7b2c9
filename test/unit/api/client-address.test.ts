import type { IncomingMessage, ServerResponse } from 'node:http';
import { expect } from 'chai';
import Koa from 'koa';
import { trustProxies, type ProxyTrust } from '../../../src/api/client-address.ts';

const SOCKET_PEER = '10.0.0.1';

/** `ctx.ip` of a request from SOCKET_PEER with these headers, under `trust`. */
function ipOf(trust: ProxyTrust, headers: Record<string, string>): string {
  const app = new Koa();
  trustProxies(app, trust);
  const lowerCased = Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]),
  );
  const req = { headers: lowerCased, socket: { remoteAddress: SOCKET_PEER }, url: '/' };
  return app.createContext(req as unknown as IncomingMessage, {} as unknown as ServerResponse).ip;
}

const hops = (trustedHops: number, ipHeader = 'X-Forwarded-For'): ProxyTrust => ({
  trustedHops,
  ipHeader,
});

describe('the client address (trustProxies)', () => {
  it('is the socket’s peer with no trusted hop, whatever the headers say', () => {
    expect(ipOf(hops(0), {})).to.equal(SOCKET_PEER);
    expect(ipOf(hops(0), { 'X-Forwarded-For': '203.0.113.1' })).to.equal(SOCKET_PEER);
    expect(ipOf(hops(0), { 'X-Forwarded-For': '203.0.113.1, 198.51.100.2' })).to.equal(SOCKET_PEER);
    expect(ipOf(hops(0, 'X-Real-IP'), { 'X-Real-IP': '203.0.113.1' })).to.equal(SOCKET_PEER);
  });

  it('is the entry the Nth proxy from the API appended, with N trusted hops', () => {
    // Client C behind three proxies, each appending its peer: P1 (outermost) appends C, P2
    // appends P1, and P3, the API's socket peer, appends P2.
    const chain = 'spoofed-1, spoofed-2, C, P1, P2';
    expect(ipOf(hops(1), { 'X-Forwarded-For': chain })).to.equal('P2');
    expect(ipOf(hops(2), { 'X-Forwarded-For': chain })).to.equal('P1');
    expect(ipOf(hops(3), { 'X-Forwarded-For': chain })).to.equal('C');
    expect(ipOf(hops(1), { 'X-Forwarded-For': 'spoofed, C' })).to.equal('C');
    expect(ipOf(hops(1), { 'X-Forwarded-For': 'C' })).to.equal('C');
  });

  it('cannot be changed by anything the client writes left of the trusted entries', () => {
    for (const spoofed of ['', '1.2.3.4, ', 'a, b, c, d, e, f, ', '::1, unknown, '])
      expect(ipOf(hops(2), { 'X-Forwarded-For': `${spoofed}C, P1` }), spoofed).to.equal('C');
  });

  it('falls back to the socket’s peer without the header, and to its leftmost entry when it is shorter than the hops', () => {
    expect(ipOf(hops(1), {})).to.equal(SOCKET_PEER);
    // A request that bypassed the outer proxy: why the API must be reachable only through them.
    expect(ipOf(hops(3), { 'X-Forwarded-For': 'B, P2' })).to.equal('B');
  });

  it('reads the header PROXY_IP_HEADER names, and no other', () => {
    const trust = hops(1, 'X-Real-IP');
    expect(ipOf(trust, { 'X-Real-IP': 'C', 'X-Forwarded-For': 'spoofed' })).to.equal('C');
    expect(ipOf(trust, { 'X-Forwarded-For': 'spoofed' })).to.equal(SOCKET_PEER);
  });
});
