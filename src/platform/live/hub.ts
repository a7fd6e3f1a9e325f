import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import type { Bus, Unsubscribe } from '../bus/index.js';
import { Forbidden, NotFound } from '../errors.js';
import type { Viewer } from '../http/page.js';
import { negotiateLocale, translator, type Translate } from '../views/i18n.js';

/** Something people can follow live, such as a thread: who may, where its events come from, what they look like. */
export interface LiveTopic<E> {
  /** Resolves when this person may follow the thing with this id; throws NotFound otherwise. */
  authorise(viewer: Viewer | null, id: number): Promise<void>;
  channel(id: number): string;
  /** The events followers receive, checked as they arrive from the bus: nothing else is ever sent on. */
  event: z.ZodType<E>;
}

/** The topics features offer; they are added while the app is assembled. */
export class LiveTopics {
  readonly topics = new Map<string, LiveTopic<unknown>>();

  add<E>(name: string, topic: LiveTopic<E>): void {
    this.topics.set(name, topic as LiveTopic<unknown>);
  }
}

/** How much one socket may ask of the server. */
export const liveLimits = {
  subscriptions: 20,
  frameChars: 1024,
  framesPerMinute: 120,
  /** Pings keep proxies from closing quiet sockets, and find the ones whose other end is gone. */
  heartbeatMs: 30_000,
};

const id = z.number().int().positive().max(2_147_483_647);
const topicName = z.string().min(1).max(40);
const clientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), topic: topicName, id }),
  z.object({ type: z.literal('unsubscribe'), topic: topicName, id }),
]);

type ErrorCode = 'badFrame' | 'unknownTopic' | 'notFound' | 'tooManySubscriptions' | 'tooManyFrames' | 'unavailable';

/**
 * GET /live: a WebSocket on which a page follows topics. The client sends
 * {"type":"subscribe","topic":"thread","id":42}; the server answers {"type":"subscribed",…} once
 * events will reach it, or {"type":"error","error":"notFound",…} for anything this person may not
 * read (the same answer as for something that does not exist). A bad frame is answered with an
 * error frame and changes nothing else.
 */
export async function liveRoutes(
  app: FastifyInstance,
  opts: { bus: Bus; topics: LiveTopics; baseUrl: string },
): Promise<void> {
  const sockets = new Map<WebSocket, { alive: boolean }>();
  const heartbeat = setInterval(() => {
    for (const [socket, state] of sockets) {
      if (!state.alive) {
        socket.terminate();
        continue;
      }
      state.alive = false;
      socket.ping();
    }
  }, liveLimits.heartbeatMs);
  heartbeat.unref();
  app.addHook('onClose', async () => clearInterval(heartbeat));

  const siteOrigin = new URL(opts.baseUrl).origin;
  // Another site's page must not follow things with this person's cookies (cross-site WebSocket
  // hijacking): a browser always says which page opens a socket, and it must be one of ours.
  const sameSite = async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin === undefined || origin === siteOrigin || hostOf(origin) === request.headers.host) return;
    return reply.code(403).send();
  };

  app.get('/live', { websocket: true, preValidation: sameSite }, (socket, request) => {
    const state = { alive: true };
    sockets.set(socket, state);
    socket.on('pong', () => {
      state.alive = true;
    });
    const follower = new Follower(socket, request, opts.bus, opts.topics);
    socket.on('message', (data, isBinary) => void follower.receive(data, isBinary));
    socket.on('close', () => {
      sockets.delete(socket);
      follower.close();
    });
  });
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** One socket's subscriptions, and its answers to what the page sends. */
class Follower {
  private readonly subscriptions = new Map<string, Promise<Unsubscribe | null>>();
  private readonly t: Translate;
  private readonly viewer: Viewer | null;
  private closed = false;
  private windowStart = Date.now();
  private framesInWindow = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly request: FastifyRequest,
    private readonly bus: Bus,
    private readonly topics: LiveTopics,
  ) {
    this.t = translator(negotiateLocale(request.headers['accept-language']));
    this.viewer = request.viewer;
  }

  async receive(data: RawData, isBinary: boolean): Promise<void> {
    if (this.overBudget()) return this.error('tooManyFrames');
    const text = isBinary ? null : data.toString();
    if (text === null || text.length > liveLimits.frameChars) return this.error('badFrame');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.error('badFrame');
    }
    const frame = clientFrame.safeParse(json);
    if (!frame.success) return this.error('badFrame');
    const { type, topic, id } = frame.data;
    if (type === 'subscribe') await this.subscribe(topic, id);
    else await this.unsubscribe(topic, id);
  }

  private overBudget(): boolean {
    const now = Date.now();
    if (now - this.windowStart > 60_000) {
      this.windowStart = now;
      this.framesInWindow = 0;
    }
    this.framesInWindow += 1;
    return this.framesInWindow > liveLimits.framesPerMinute;
  }

  private async subscribe(name: string, id: number): Promise<void> {
    const key = `${name}:${id}`;
    const existing = this.subscriptions.get(key);
    if (existing) {
      // The same subscription twice: the same answer twice.
      const held = await existing.catch(() => undefined);
      if (held) return this.send({ type: 'subscribed', topic: name, id });
      return this.error(held === null ? 'notFound' : 'unavailable', { topic: name, id });
    }
    const topic = this.topics.topics.get(name);
    if (!topic) return this.error('unknownTopic', { topic: name, id });
    if (this.subscriptions.size >= liveLimits.subscriptions)
      return this.error('tooManySubscriptions', { topic: name, id });
    const pending = this.follow(topic, id);
    this.subscriptions.set(key, pending);
    let unsubscribe: Unsubscribe | null;
    try {
      unsubscribe = await pending;
    } catch (error) {
      this.request.log.error({ err: error }, 'live subscription failed');
      if (this.subscriptions.get(key) === pending) this.subscriptions.delete(key);
      return this.error('unavailable', { topic: name, id });
    }
    // Closed or unsubscribed meanwhile: whoever did that lets go of the subscription.
    if (this.closed || this.subscriptions.get(key) !== pending) return;
    if (!unsubscribe) {
      this.subscriptions.delete(key);
      return this.error('notFound', { topic: name, id });
    }
    this.send({ type: 'subscribed', topic: name, id });
  }

  /** Checks the person may follow it now, then listens: null when they may not (or it does not exist). */
  private async follow(topic: LiveTopic<unknown>, id: number): Promise<Unsubscribe | null> {
    try {
      await topic.authorise(this.viewer, id);
    } catch (error) {
      if (error instanceof NotFound || error instanceof Forbidden) return null;
      throw error;
    }
    return this.bus.subscribe(topic.channel(id), topic.event, (event) => this.send(event));
  }

  private async unsubscribe(name: string, id: number): Promise<void> {
    const key = `${name}:${id}`;
    const pending = this.subscriptions.get(key);
    this.subscriptions.delete(key);
    const unsubscribe = await pending?.catch(() => null);
    await unsubscribe?.();
    this.send({ type: 'unsubscribed', topic: name, id });
  }

  close(): void {
    this.closed = true;
    for (const pending of this.subscriptions.values()) void pending.then((u) => u?.()).catch(() => undefined);
    this.subscriptions.clear();
  }

  private error(code: ErrorCode, about: { topic?: string; id?: number } = {}): void {
    this.send({ type: 'error', error: code, message: this.t(`live.errors.${code}`), ...about });
  }

  private send(frame: unknown): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(JSON.stringify(frame));
  }
}
