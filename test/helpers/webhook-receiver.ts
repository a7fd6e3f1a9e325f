import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A webhook receiver for tests: a real HTTP server on loopback that keeps what it is sent, and a
 * check of a delivery's signature as a receiver would make it (docs/webhooks.md).
 */

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** An HTTP receiver on 127.0.0.1 that answers each request with the next status given (200 once they run out). */
export class Receiver {
  readonly received: Received[] = [];
  private answers: { status: number; location?: string }[] = [];
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<Receiver> {
    const server = http.createServer();
    const receiver = new Receiver(server);
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        receiver.received.push({
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const answer = receiver.answers.shift() ?? { status: 200 };
        if (answer.location) response.setHeader('location', answer.location);
        response.statusCode = answer.status;
        response.end('ok');
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  answer(...answers: { status: number; location?: string }[]): void {
    this.answers.push(...answers);
  }

  reset(): void {
    this.received.length = 0;
    this.answers = [];
  }

  async close(): Promise<void> {
    this.server.close();
    await once(this.server, 'close');
  }
}

/** Checks a delivery as a receiver would (docs/webhooks.md): the HMAC of "timestamp.body", in constant time. */
export function signatureValid(secret: string, r: Received): boolean {
  const timestamp = String(r.headers['mutual-webhook-timestamp']);
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${r.body}`).digest('hex')}`;
  return r.headers['mutual-signature'] === expected;
}
