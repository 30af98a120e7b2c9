import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /** Drop the connection without an answer. */
  readonly hangUp?: boolean;
  /** Answer only after this long. */
  readonly delayMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/**
 * An HTTP server that answers from a script, for testing clients against answers the real
 * service gives only under failure (503, dropped connections). `answer` picks the reply to each
 * request; every request is recorded.
 */
export class ScriptedServer {
  readonly requests: RecordedRequest[] = [];
  /** The most requests that were waiting for their answer at once. */
  maxInFlight = 0;
  private inFlight = 0;
  private readonly server: http.Server;
  private port = 0;

  private constructor(
    private readonly answer: (request: RecordedRequest, n: number) => ScriptedAnswer,
  ) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.reply(req, res, Buffer.concat(chunks).toString('utf8'));
      });
    });
  }

  static async start(
    answer: (request: RecordedRequest, n: number) => ScriptedAnswer,
  ): Promise<ScriptedServer> {
    const scripted = new ScriptedServer(answer);
    await new Promise<void>((resolve) => scripted.server.listen(0, '127.0.0.1', resolve));
    scripted.port = (scripted.server.address() as AddressInfo).port;
    return scripted;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private reply(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    const request = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
    this.requests.push(request);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const reply = this.answer(request, this.requests.length);
    setTimeout(() => {
      this.inFlight -= 1;
      if (reply.hangUp) {
        req.socket.destroy();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
    }, reply.delayMs ?? 0);
  }
}
