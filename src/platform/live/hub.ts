import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import { z } from 'zod';
import type { Bus, Unsubscribe } from '../bus/index.js';
import { Forbidden, NotFound } from '../errors.js';
import type { Viewer } from '../http/page.js';
import { negotiateLocale, translator, type Translate } from '../views/i18n.js';

/**
 * Something people can follow live, such as a thread or a chat room: who may, where its events
 * come from, what they look like, and what each follower is sent of them.
 */
export interface LiveTopic<E, C = void, I = never> {
  /**
   * Resolves when this person may follow the thing with this id, with what the topic keeps about
   * the subscription (its context, for `filter` and `presence`); throws NotFound otherwise.
   */
  authorise(viewer: Viewer | null, id: number): Promise<C>;
  channel(id: number): string;
  /** The events followers receive, checked as they arrive from the bus: nothing else is ever sent on. */
  event: z.ZodType<E>;
  /** Whether this follower is sent the event (not when they blocked its author, say); absent, every follower is. */
  filter?(context: C, event: E): boolean;
  /**
   * What followers are sent of an event, made once per event whoever follows (account ids taken
   * out, say); absent, the event as it came.
   */
  toClient?(event: E): unknown;
  /**
   * What this follower is sent of an event, made for each of them (their own part of a state, say);
   * null sends nothing. When present it is used instead of toClient: for topics with few followers
   * (a circle), since each frame is serialised per follower.
   */
  frameFor?(context: C, event: E): unknown;
  /** Who is here: told when a person starts following, at every heartbeat while they do, and when they stop. */
  presence?: LivePresence<C>;
  /**
   * What a follower may send on the topic ({"type":"send","topic":…,"id":…,"data":…}), checked before
   * `receive` is called with it; absent, the topic takes nothing. Frames of one socket reach
   * `receive` one at a time, in the order they were sent.
   */
  incoming?: z.ZodType<I>;
  receive?(context: C, id: number, data: I): Promise<void>;
  /** The topic's own limits for what its followers send, above the hub's (a circle's SDP is big). */
  frameChars?: number;
  framesPerMinute?: number;
}

export interface LivePresence<C> {
  join(context: C, id: number): Promise<void>;
  /** Every heartbeat: each subscription to the topic this process holds. */
  beat(following: { context: C; id: number }[]): Promise<void>;
  /** The person's last subscription to the thing in this process ended. */
  leave(context: C, id: number): Promise<void>;
}

/** The topics features offer; they are added while the app is assembled. */
export class LiveTopics {
  readonly topics = new Map<string, LiveTopic<unknown, unknown, unknown>>();
  /** The largest frame any topic takes, so that a bigger one is refused before it is read. */
  maxFrameChars = liveLimits.frameChars;

  add<E, C, I = never>(name: string, topic: LiveTopic<E, C, I>): void {
    this.topics.set(name, topic as unknown as LiveTopic<unknown, unknown, unknown>);
    this.maxFrameChars = Math.max(this.maxFrameChars, topic.frameChars ?? 0);
  }
}

/** How much one socket may ask of the server. */
export const liveLimits = {
  subscriptions: 20,
  frameChars: 1024,
  framesPerMinute: 120,
  /** Frames past the limit, each answered with tooManyFrames, before the socket is closed (1008). */
  floodGrace: 20,
  /** Pings keep proxies from closing quiet sockets, and find the ones whose other end is gone. */
  heartbeatMs: 30_000,
};

const accessChanged = z.object({ type: z.literal('access.changed') });
const accessChannel = (userId: number) => `live-access:${userId}`;

/**
 * A person's standing changed (removed or banned from a group, taken out of a room): each of
 * their sockets, in every process, asks every topic it follows again and stops at once what they
 * may no longer follow. Call it after the change commits.
 */
export async function recheckLiveAccess(bus: Bus | undefined, userId: number): Promise<void> {
  await bus?.publish(accessChannel(userId), { type: 'access.changed' });
}

const id = z.number().int().positive().max(2_147_483_647);
const topicName = z.string().min(1).max(40);
const clientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), topic: topicName, id }),
  z.object({ type: z.literal('unsubscribe'), topic: topicName, id }),
  z.object({ type: z.literal('send'), topic: topicName, id, data: z.unknown() }),
]);

type ErrorCode = 'badFrame' | 'unknownTopic' | 'notFound' | 'tooManySubscriptions' | 'tooManyFrames' | 'unavailable';

/**
 * GET /live: a WebSocket on which a page follows topics. The client sends
 * {"type":"subscribe","topic":"thread","id":42}; the server answers {"type":"subscribed",…} once
 * events will reach it, or {"type":"error","error":"notFound",…} for anything this person may not
 * read (the same answer as for something that does not exist). On a topic that takes them, a
 * follower sends {"type":"send","topic":"circle","id":7,"data":{…}}. A bad frame is answered with an
 * error frame and changes nothing else; a socket that keeps sending past its limit is closed.
 */
export async function liveRoutes(
  app: FastifyInstance,
  opts: { bus: Bus; topics: LiveTopics; baseUrl: string },
): Promise<void> {
  const hub = new Hub(opts.bus, app.log);
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
    void hub.beat();
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
    const follower = new Follower(socket, request, hub, opts.topics);
    socket.on('message', (data, isBinary) => void follower.receive(data, isBinary));
    socket.on('close', () => {
      sockets.delete(socket);
      void follower.close();
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

/** One socket's subscription to one thing. */
interface Subscription {
  follower: Follower;
  topic: LiveTopic<unknown, unknown, unknown>;
  name: string;
  id: number;
  channel: string;
  context: unknown;
  /** Sent events from the moment the socket is told "subscribed", so nothing arrives before it. */
  active: boolean;
}

/** Followers of one channel in this process, behind one subscription to the bus. */
interface Channel {
  subscriptions: Set<Subscription>;
  ready: Promise<Unsubscribe>;
}

/**
 * What every socket of this process follows. Each channel is subscribed to on the bus once, and
 * each event is checked, turned into its frame and serialised once, then sent to every follower
 * the topic's filter lets have it.
 */
class Hub {
  private readonly channels = new Map<string, Channel>();
  /** The sockets of each signed-in person who follows something, for rechecks of their access. */
  private readonly people = new Map<number, { followers: Set<Follower>; ready: Promise<Unsubscribe> }>();

  constructor(
    private readonly bus: Bus,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Adds a subscription; resolves once events published from now on reach its channel here. */
  async join(sub: Subscription): Promise<void> {
    let channel = this.channels.get(sub.channel);
    if (!channel) {
      const created: Channel = { subscriptions: new Set(), ready: Promise.resolve(async () => {}) };
      created.ready = this.bus.subscribe(sub.channel, sub.topic.event, (event) => this.deliver(created, sub, event));
      this.channels.set(sub.channel, created);
      created.ready.catch(() => {
        if (this.channels.get(sub.channel) === created) this.channels.delete(sub.channel);
      });
      channel = created;
    }
    channel.subscriptions.add(sub);
    try {
      await channel.ready;
    } catch (error) {
      channel.subscriptions.delete(sub);
      throw error;
    }
  }

  /** Takes a subscription out; the last one out of a channel lets go of it on the bus. */
  async leave(sub: Subscription): Promise<void> {
    sub.active = false;
    const channel = this.channels.get(sub.channel);
    if (!channel?.subscriptions.delete(sub)) return;
    if (sub.topic.presence && !this.stillHere(channel, sub)) {
      await sub.topic.presence.leave(sub.context, sub.id).catch((error: unknown) => this.report(error, sub));
    }
    if (channel.subscriptions.size > 0) return;
    this.channels.delete(sub.channel);
    const unsubscribe = await channel.ready.catch(() => null);
    await unsubscribe?.();
  }

  /** Whether the same person follows the channel on another socket of this process. */
  private stillHere(channel: Channel, sub: Subscription): boolean {
    const person = sub.follower.viewer?.id;
    if (person === undefined) return false;
    for (const other of channel.subscriptions) if (other.follower.viewer?.id === person) return true;
    return false;
  }

  private deliver(channel: Channel, first: Subscription, event: unknown): void {
    const topic = first.topic;
    if (topic.frameFor) return this.deliverEach(channel, first, event);
    // Encoded once as UTF-8 bytes: each socket then writes the same buffer, where a string would
    // be encoded again for every one of them (a presence list of a full room is kilobytes).
    let frame: Buffer;
    try {
      frame = Buffer.from(JSON.stringify(topic.toClient ? topic.toClient(event) : event));
    } catch (error) {
      this.report(error, first);
      return;
    }
    for (const sub of channel.subscriptions) {
      if (!sub.active) continue;
      try {
        if (!topic.filter || topic.filter(sub.context, event)) sub.follower.sendFrame(frame);
      } catch (error) {
        this.report(error, sub);
      }
    }
  }

  /** Each follower's own frame of the event, serialised for them alone. */
  private deliverEach(channel: Channel, first: Subscription, event: unknown): void {
    const topic = first.topic;
    for (const sub of channel.subscriptions) {
      if (!sub.active) continue;
      try {
        if (topic.filter && !topic.filter(sub.context, event)) continue;
        const frame = topic.frameFor!(sub.context, event);
        if (frame !== null && frame !== undefined) sub.follower.sendFrame(JSON.stringify(frame));
      } catch (error) {
        this.report(error, sub);
      }
    }
  }

  /** Starts listening for changes to this person's access, for one more of their sockets. */
  async watch(userId: number, follower: Follower): Promise<void> {
    let person = this.people.get(userId);
    if (!person) {
      const created: { followers: Set<Follower>; ready: Promise<Unsubscribe> } = {
        followers: new Set<Follower>(),
        ready: Promise.resolve(async () => {}),
      };
      created.ready = this.bus.subscribe(accessChannel(userId), accessChanged, () => {
        for (const f of created.followers) void f.recheck();
      });
      created.ready.catch(() => {
        if (this.people.get(userId) === created) this.people.delete(userId);
      });
      this.people.set(userId, created);
      person = created;
    }
    person.followers.add(follower);
    await person.ready;
  }

  async unwatch(userId: number, follower: Follower): Promise<void> {
    const person = this.people.get(userId);
    if (!person?.followers.delete(follower) || person.followers.size > 0) return;
    this.people.delete(userId);
    const unsubscribe = await person.ready.catch(() => null);
    await unsubscribe?.();
  }

  /** A heartbeat: each topic that keeps presence hears of every subscription still open here. */
  async beat(): Promise<void> {
    const byTopic = new Map<LiveTopic<unknown, unknown, unknown>, { context: unknown; id: number }[]>();
    for (const channel of this.channels.values()) {
      for (const sub of channel.subscriptions) {
        if (!sub.active || !sub.topic.presence) continue;
        const list = byTopic.get(sub.topic) ?? [];
        list.push({ context: sub.context, id: sub.id });
        byTopic.set(sub.topic, list);
      }
    }
    for (const [topic, following] of byTopic) {
      await topic.presence!.beat(following).catch((error: unknown) => this.log.error({ err: error }, 'live presence'));
    }
  }

  report(error: unknown, sub: Subscription): void {
    this.log.error({ err: error, topic: sub.name, id: sub.id }, 'live delivery failed');
  }
}

/**
 * Frames one socket sent in the current minute, against a limit: past it each is refused, and a
 * socket that keeps on after `floodGrace` more is closed.
 */
class FrameBudget {
  private windowStart = Date.now();
  private frames = 0;

  constructor(private readonly perMinute: number) {}

  /** Counts a frame: 'ok', 'over' (refuse it) or 'flood' (close the socket). */
  count(): 'ok' | 'over' | 'flood' {
    const now = Date.now();
    if (now - this.windowStart > 60_000) {
      this.windowStart = now;
      this.frames = 0;
    }
    this.frames += 1;
    if (this.frames <= this.perMinute) return 'ok';
    return this.frames > this.perMinute + liveLimits.floodGrace ? 'flood' : 'over';
  }
}

/** One socket's subscriptions, and its answers to what the page sends. */
class Follower {
  private readonly subscriptions = new Map<string, Promise<Subscription | null>>();
  private readonly t: Translate;
  readonly viewer: Viewer | null;
  private closed = false;
  private watching = false;
  private readonly budget = new FrameBudget(liveLimits.framesPerMinute);
  /** Send frames on a topic with its own limit count against that topic's budget. */
  private readonly topicBudgets = new Map<string, FrameBudget>();
  /** Send frames are handled one after another, so that a topic receives them in order. */
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly socket: WebSocket,
    private readonly request: FastifyRequest,
    private readonly hub: Hub,
    private readonly topics: LiveTopics,
  ) {
    this.t = translator(negotiateLocale(request.headers['accept-language']));
    this.viewer = request.viewer;
  }

  async receive(data: RawData, isBinary: boolean): Promise<void> {
    const text = isBinary ? null : data.toString();
    let json: unknown;
    let parsed = false;
    if (text !== null && text.length <= this.topics.maxFrameChars) {
      try {
        json = JSON.parse(text);
        parsed = true;
      } catch {
        parsed = false;
      }
    }
    const frame = parsed ? clientFrame.safeParse(json) : null;
    const sent = frame?.success && frame.data.type === 'send' ? frame.data : null;
    const topic = sent ? this.topics.topics.get(sent.topic) : undefined;
    const budget = sent && topic?.framesPerMinute ? this.budgetOf(sent.topic, topic.framesPerMinute) : this.budget;
    // Throttled first, each frame refused; a socket that keeps on after that is closed.
    const spent = budget.count();
    if (spent === 'flood') {
      this.socket.close(1008, 'too many frames');
      return;
    }
    if (spent === 'over') return this.error('tooManyFrames');
    const maxChars = sent ? (topic?.frameChars ?? liveLimits.frameChars) : liveLimits.frameChars;
    if (text === null || text.length > maxChars || !frame?.success) return this.error('badFrame');
    const { type, topic: name, id } = frame.data;
    if (type === 'subscribe') await this.subscribe(name, id);
    else if (type === 'unsubscribe') await this.unsubscribe(name, id);
    else {
      const data = frame.data.data;
      const turn = this.sending.then(() => this.deliverSent(name, id, data));
      this.sending = turn.catch(() => undefined);
      await turn;
    }
  }

  private budgetOf(name: string, perMinute: number): FrameBudget {
    let budget = this.topicBudgets.get(name);
    if (!budget) this.topicBudgets.set(name, (budget = new FrameBudget(perMinute)));
    return budget;
  }

  /** Something the page sends on a topic it follows, checked by the topic's own schema. */
  private async deliverSent(name: string, id: number, data: unknown): Promise<void> {
    const sub = await this.subscriptions.get(`${name}:${id}`)?.catch(() => null);
    const topic = sub?.topic;
    if (!sub || !sub.active || this.closed || !topic?.incoming || !topic.receive) {
      return this.error('badFrame', { topic: name, id });
    }
    const input = topic.incoming.safeParse(data);
    if (!input.success) return this.error('badFrame', { topic: name, id });
    try {
      await topic.receive(sub.context, id, input.data);
    } catch (error) {
      this.hub.report(error, sub);
      this.error('unavailable', { topic: name, id });
    }
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
    const pending = this.follow(topic, name, id);
    this.subscriptions.set(key, pending);
    let sub: Subscription | null;
    try {
      sub = await pending;
    } catch (error) {
      this.request.log.error({ err: error }, 'live subscription failed');
      if (this.subscriptions.get(key) === pending) this.subscriptions.delete(key);
      return this.error('unavailable', { topic: name, id });
    }
    // Closed or unsubscribed meanwhile: whoever did that lets go of the subscription.
    if (this.closed || this.subscriptions.get(key) !== pending) return;
    if (!sub) {
      this.subscriptions.delete(key);
      return this.error('notFound', { topic: name, id });
    }
    this.send({ type: 'subscribed', topic: name, id });
    sub.active = true;
    await topic.presence?.join(sub.context, id).catch((error: unknown) => this.hub.report(error, sub));
  }

  /** Checks the person may follow it now, then listens: null when they may not (or it does not exist). */
  private async follow(
    topic: LiveTopic<unknown, unknown, unknown>,
    name: string,
    id: number,
  ): Promise<Subscription | null> {
    const context = await this.authorise(topic, id);
    if (context === denied) return null;
    if (this.viewer && !this.watching) {
      this.watching = true;
      await this.hub.watch(this.viewer.id, this);
    }
    const sub: Subscription = {
      follower: this,
      topic,
      name,
      id,
      channel: topic.channel(id),
      context,
      active: false,
    };
    await this.hub.join(sub);
    return sub;
  }

  private async authorise(topic: LiveTopic<unknown, unknown, unknown>, id: number): Promise<unknown> {
    try {
      return await topic.authorise(this.viewer, id);
    } catch (error) {
      if (error instanceof NotFound || error instanceof Forbidden) return denied;
      throw error;
    }
  }

  /**
   * The person's access changed: each subscription is authorised again, with a fresh context, and
   * the ones they may no longer follow end now, with the answer a refused subscription gets.
   */
  async recheck(): Promise<void> {
    for (const [key, pending] of [...this.subscriptions]) {
      const sub = await pending.catch(() => null);
      if (!sub || this.closed) continue;
      let context: unknown;
      try {
        context = await this.authorise(sub.topic, sub.id);
      } catch (error) {
        this.request.log.error({ err: error }, 'live recheck failed');
        continue;
      }
      if (context !== denied) {
        sub.context = context;
        // Still here, perhaps in another part (no longer one who counts as present, say).
        await sub.topic.presence?.join(context, sub.id).catch((error: unknown) => this.hub.report(error, sub));
        continue;
      }
      if (this.subscriptions.get(key) !== pending) continue;
      this.subscriptions.delete(key);
      await this.hub.leave(sub);
      this.error('notFound', { topic: sub.name, id: sub.id });
    }
  }

  private async unsubscribe(name: string, id: number): Promise<void> {
    const key = `${name}:${id}`;
    const pending = this.subscriptions.get(key);
    this.subscriptions.delete(key);
    const sub = await pending?.catch(() => null);
    if (sub) await this.hub.leave(sub);
    this.send({ type: 'unsubscribed', topic: name, id });
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = [...this.subscriptions.values()];
    this.subscriptions.clear();
    for (const p of pending) {
      const sub = await p.catch(() => null);
      if (sub) await this.hub.leave(sub).catch((error: unknown) => this.hub.report(error, sub));
    }
    if (this.watching && this.viewer) await this.hub.unwatch(this.viewer.id, this).catch(() => undefined);
  }

  private error(code: ErrorCode, about: { topic?: string; id?: number } = {}): void {
    this.send({ type: 'error', error: code, message: this.t(`live.errors.${code}`), ...about });
  }

  private send(frame: unknown): void {
    this.sendFrame(JSON.stringify(frame));
  }

  /** A frame already serialised (one buffer for every follower of an event), sent as text. */
  sendFrame(frame: string | Buffer): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(frame, { binary: false });
  }
}

/** What authorise gives back for a person who may not follow the thing. */
const denied = Symbol('denied');
