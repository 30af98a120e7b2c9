import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP relay to a real server that can be cut and restored: for showing what a client does when
 * the server goes away and comes back, without stopping a server other tests share.
 *
 * While cut, the relay stops listening, so new connections are refused as by a stopped server.
 * Accepting them and hanging up at once would be less real and trips cassandra-driver 4.10: a
 * connection closed by its peer during its handshake keeps its 30 s heartbeat timer
 * (connection.js `close()` returns early before clearing it), which outlives the client's shutdown.
 */
export class TcpProxy {
  private readonly sockets = new Set<net.Socket>();
  private constructor(
    private server: net.Server,
    private readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = await TcpProxy.listen(0, (client) => proxy.relay(client));
    const proxy: TcpProxy = new TcpProxy(server, (server.address() as AddressInfo).port, target);
    return proxy;
  }

  private static async listen(
    port: number,
    onConnection: (client: net.Socket) => void,
  ): Promise<net.Server> {
    const server = net.createServer(onConnection);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server;
  }

  /** host:port to connect to instead of the target. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Drops every relayed connection and refuses new ones until restored. */
  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (!this.server.listening) return;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Listens again, on the same port. */
  async restore(): Promise<void> {
    if (this.server.listening) return;
    this.server = await TcpProxy.listen(this.port, (client) => this.relay(client));
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
    }
  }
}
