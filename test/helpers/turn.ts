import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TurnSettings } from '../../src/platform/media/turn.js';

/** Debian's coturn (apt-get install coturn); the TURN tests never use another. */
export const turnserverPath = '/usr/bin/turnserver';
export const turnserverInstalled = existsSync(turnserverPath);

export interface TestTurnServer {
  /** What the site would be configured with: TURN_URLS, TURN_SECRET, TURN_TTL_SECONDS. */
  settings: TurnSettings;
  port: number;
  /** Everything turnserver wrote, for a failing test to show. */
  log(): string;
  close(): Promise<void>;
}

/**
 * A real coturn on loopback, from a config written to a temporary folder: the shared-secret REST
 * scheme Mutual's credentials are made for, relaying on 127.0.0.1 to loopback peers (allowed here
 * only, as every browser in a test is on this machine), no TLS, no CLI, logging to stdout.
 */
export async function startTurnServer(options: { secret?: string; ttlSeconds?: number } = {}): Promise<TestTurnServer> {
  const secret = options.secret ?? randomBytes(24).toString('base64url');
  const directory = await mkdtemp(join(tmpdir(), 'mutual-turn-'));
  const port = await freePort();
  // A small relay range of its own, so turnservers of tests running side by side rarely meet.
  const minPort = 40_000 + Math.floor(Math.random() * 200) * 100;
  const config = [
    `listening-ip=127.0.0.1`,
    `listening-port=${port}`,
    `relay-ip=127.0.0.1`,
    `min-port=${minPort}`,
    `max-port=${minPort + 99}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    'realm=mutual.test',
    'allow-loopback-peers',
    'no-cli',
    'no-tls',
    'no-dtls',
    'fingerprint',
    'log-file=stdout',
    'simple-log',
    // Its own files, never the system's /var/lib/turn or /var/run.
    `pidfile=${join(directory, 'turnserver.pid')}`,
    `userdb=${join(directory, 'turndb')}`,
  ].join('\n');
  const file = join(directory, 'turnserver.conf');
  await writeFile(file, `${config}\n`);
  const child = spawn(turnserverPath, ['-c', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async () => {
    await stop(child, exited);
    await rm(directory, { recursive: true, force: true });
  };
  try {
    await answersStun(port, exited, () => output);
  } catch (error) {
    await close();
    throw error;
  }
  return {
    settings: { urls: [`turn:127.0.0.1:${port}?transport=udp`], secret, ttlSeconds: options.ttlSeconds ?? 600 },
    port,
    log: () => output,
    close,
  };
}

/** A port free on loopback for both TCP and UDP, as turnserver listens on both. */
async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree) return port;
  }
}

/**
 * Waits until turnserver answers a STUN Binding request on its UDP port: then its listeners and
 * relay threads are up. Fails at once if it exits (a bad config, a port taken) or after 10 s.
 */
async function answersStun(port: number, exited: Promise<void>, output: () => string): Promise<void> {
  const socket = createSocket('udp4');
  const transaction = randomBytes(12);
  // Binding request: type 0x0001, no attributes, the magic cookie, a transaction id.
  const request = Buffer.concat([Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), transaction]);
  socket.on('error', () => undefined);
  let dead = false;
  void exited.then(() => (dead = true));
  const answered = new Promise<void>((resolve) => {
    socket.on('message', (message) => {
      if (message.readUInt16BE(0) === 0x0101 && message.subarray(8, 20).equals(transaction)) resolve();
    });
  });
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (dead) throw new Error(`turnserver exited before it listened:\n${output()}`);
      if (Date.now() > deadline) throw new Error(`turnserver did not answer on port ${port} in 10 s:\n${output()}`);
      socket.send(request, port, '127.0.0.1');
      const ok = await Promise.race([answered.then(() => true), sleep(100).then(() => false)]);
      if (ok) return;
    }
  } finally {
    socket.close();
  }
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const gone = await Promise.race([exited.then(() => true), sleep(3000).then(() => false)]);
  if (!gone) {
    child.kill('SIGKILL');
    await exited;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
