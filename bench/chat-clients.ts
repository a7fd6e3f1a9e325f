/**
 * The load generator's receiving end for `npm run bench:chat`, in a process of its own so that
 * the clients do not share an event loop with Mutual nor with the bench's posting: it holds the
 * WebSocket clients, notes when each live event reaches each of them, and answers the bench
 * over IPC. It is started by bench/chat.ts, never by hand.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Histogram, type SparseHistogram } from './chat-stats.js';

export type ClientCommand =
  | {
      type: 'connect';
      url: string;
      origin: string;
      tokens: string[];
      topic: string;
      id: number;
      concurrency: number;
    }
  | { type: 'collect'; sent: [key: number, at: number][] }
  | { type: 'usage' }
  | { type: 'disconnect' };

export type ClientReport =
  | { type: 'connected'; connected: number; failed: number; firstError: string | null; ms: number }
  | { type: 'complete'; key: number }
  | {
      type: 'collected';
      histogram: SparseHistogram;
      /** Per message: how many clients it reached and when the last of them got it. */
      keys: [key: number, reached: number, lastAt: number][];
      stray: number;
    }
  | { type: 'usage'; cpuMs: number; loopDelayP99Ms: number; loopDelayMaxMs: number }
  | { type: 'disconnected' };

const now = () => performance.timeOrigin + performance.now();
const send = (report: ClientReport) => process.send!(report);

let sockets: WebSocket[] = [];
/** When each message (by key) reached each client, in order of arrival. */
let arrivals = new Map<number, number[]>();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

/** The message a frame is about: a thread's reply count, or the sequence number a chat message's body carries. */
function keyOf(data: Buffer): number | null {
  const frame = JSON.parse(data.toString()) as {
    type?: string;
    replies?: number;
    message?: { body?: string };
  };
  if (frame.type === 'thread.reply') return frame.replies ?? null;
  if (frame.type === 'chat.message') {
    const seq = /\[#(\d+)\]/.exec(frame.message?.body ?? '');
    return seq ? Number(seq[1]) : null;
  }
  return null;
}

function onFrame(data: Buffer): void {
  const at = now();
  const key = keyOf(data);
  if (key === null) return;
  let list = arrivals.get(key);
  if (!list) {
    list = [];
    arrivals.set(key, list);
  }
  list.push(at);
  if (list.length === sockets.length) send({ type: 'complete', key });
}

/** Opens one client, subscribes, and resolves once the server says events will reach it. */
function open(command: Extract<ClientCommand, { type: 'connect' }>, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(command.url, {
      headers: { cookie: `mutual_session=${token}`, origin: command.origin },
      perMessageDeflate: false,
      skipUTF8Validation: true,
    });
    const fail = (error: Error) => {
      socket.terminate();
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error('no answer to subscribe within 30 s')), 30_000);
    socket.once('error', fail);
    socket.once('unexpected-response', (_request, response) =>
      fail(new Error(`upgrade refused: ${response.statusCode}`)),
    );
    socket.once('open', () => socket.send(JSON.stringify({ type: 'subscribe', topic: command.topic, id: command.id })));
    const first = (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type: string; error?: string };
      if (frame.type !== 'subscribed') return fail(new Error(`subscribe answered ${data.toString()}`));
      clearTimeout(timer);
      socket.off('message', first);
      socket.on('message', onFrame);
      socket.on('close', () => {
        sockets = sockets.filter((s) => s !== socket);
      });
      resolve(socket);
    };
    socket.on('message', first);
  });
}

async function connect(command: Extract<ClientCommand, { type: 'connect' }>): Promise<void> {
  const started = now();
  let failed = 0;
  let firstError: string | null = null;
  let next = 0;
  const opened: WebSocket[] = [];
  const lane = async () => {
    while (next < command.tokens.length) {
      const token = command.tokens[next++]!;
      try {
        opened.push(await open(command, token));
      } catch (error) {
        failed += 1;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: command.concurrency }, lane));
  sockets.push(...opened);
  send({ type: 'connected', connected: opened.length, failed, firstError, ms: now() - started });
}

function collect(sent: [number, number][]): void {
  const histogram = new Histogram();
  const keys: [number, number, number][] = [];
  for (const [key, at] of sent) {
    const list = arrivals.get(key) ?? [];
    let last = 0;
    for (const arrived of list) {
      histogram.add(arrived - at);
      if (arrived > last) last = arrived;
    }
    keys.push([key, list.length, last]);
    arrivals.delete(key);
  }
  let stray = 0;
  for (const list of arrivals.values()) stray += list.length;
  arrivals = new Map();
  send({ type: 'collected', histogram: histogram.sparse(), keys, stray });
}

let cpuMark = process.cpuUsage();
process.on('message', (command: ClientCommand) => {
  switch (command.type) {
    case 'connect':
      void connect(command);
      break;
    case 'collect':
      collect(command.sent);
      break;
    case 'usage': {
      const cpu = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      send({
        type: 'usage',
        cpuMs: (cpu.user + cpu.system) / 1000,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      });
      loopDelay.reset();
      break;
    }
    case 'disconnect': {
      const closing = sockets;
      sockets = [];
      let left = closing.length;
      if (left === 0) send({ type: 'disconnected' });
      for (const socket of closing) {
        socket.once('close', () => {
          left -= 1;
          if (left === 0) send({ type: 'disconnected' });
        });
        socket.close();
      }
      break;
    }
  }
});
