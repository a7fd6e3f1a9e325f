import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';
import type { Agent } from './app.js';

/*
 * A push service on loopback, as the tests' browsers would use one: it takes what Mutual sends,
 * and each device decrypts it with its own private key (RFC 8291, aes128gcm) using an independent
 * package (http_ece), never Mutual's own code.
 */

/** A browser's side of a subscription: an ECDH key pair on P-256 and a 16-byte auth secret. */
export class TestDevice {
  readonly ecdh: ECDH = createECDH('prime256v1');
  readonly auth = randomBytes(16).toString('base64url');

  constructor(readonly endpoint: string) {
    this.ecdh.generateKeys();
  }

  get p256dh(): string {
    return this.ecdh.getPublicKey().toString('base64url');
  }

  /** The form a browser's script posts to /push/subscriptions. */
  form(): Record<string, string> {
    return { endpoint: this.endpoint, p256dh: this.p256dh, auth: this.auth };
  }

  /** Turns push on for this device as the agent's person. */
  async subscribe(agent: Agent): Promise<void> {
    const res = await agent.post('/push/subscriptions', this.form());
    if (res.statusCode !== 303) throw new Error(`subscribing failed: ${res.statusCode} ${res.body.slice(0, 300)}`);
  }

  decrypt(body: Buffer): unknown {
    return JSON.parse(
      ece.decrypt(body, { version: 'aes128gcm', privateKey: this.ecdh, authSecret: this.auth }).toString('utf8'),
    );
  }
}

export interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export class TestPushService {
  readonly received: ReceivedPush[] = [];
  /** Status answered per path (a gone subscription: 410); 201 otherwise. */
  readonly status = new Map<string, number>();
  private server!: Server;
  private port = 0;

  static async start(): Promise<TestPushService> {
    const service = new TestPushService();
    service.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const path = request.url ?? '/';
        service.received.push({ path, headers: request.headers, body: Buffer.concat(chunks) });
        response.statusCode = service.status.get(path) ?? 201;
        response.end();
      });
    });
    await new Promise<void>((resolve) => service.server.listen(0, '127.0.0.1', resolve));
    service.port = (service.server.address() as AddressInfo).port;
    return service;
  }

  /** A new device whose pushes come here, at /push/<name>. */
  device(name: string): TestDevice {
    return new TestDevice(`http://127.0.0.1:${this.port}/push/${name}`);
  }

  /** What reached a device (oldest first), decrypted with its key; takes them off the list. */
  take(device: TestDevice): { payload: unknown; headers: IncomingHttpHeaders }[] {
    const path = new URL(device.endpoint).pathname;
    const mine = this.received.filter((r) => r.path === path);
    for (const r of mine) this.received.splice(this.received.indexOf(r), 1);
    return mine.map((r) => ({ payload: device.decrypt(r.body), headers: r.headers }));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface VapidClaims {
  aud: string;
  exp: number;
  sub: string;
}

/**
 * Checks a push's VAPID authorisation (RFC 8292): "vapid t=<JWT>, k=<public key>", the JWT signed
 * with ES256 by the key named. Returns the JWT's claims and the key; throws when the signature is wrong.
 */
export function verifyVapid(authorization: string | undefined): { claims: VapidClaims; key: string } {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization ?? '');
  if (!match) throw new Error(`not a VAPID authorisation: ${authorization}`);
  const [, jwt, key] = match as unknown as [string, string, string];
  const [header, payload, signature] = jwt.split('.') as [string, string, string];
  if (JSON.parse(Buffer.from(header, 'base64url').toString()).alg !== 'ES256') throw new Error('not ES256');
  const raw = Buffer.from(key, 'base64url');
  const publicKey = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const ok = verify(
    'sha256',
    Buffer.from(`${header}.${payload}`),
    { key: publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!ok) throw new Error('the VAPID signature does not verify');
  return { claims: JSON.parse(Buffer.from(payload, 'base64url').toString()) as VapidClaims, key };
}
