import { randomBytes } from 'node:crypto';
import { z } from 'zod';

/*
 * A small client of the Janus WebRTC server over its plain HTTP API
 * (https://janus.conf.meetecho.com/docs/rest.html): sessions, plugin handles, plugin messages
 * (answered at once, or later on the session's long poll), trickle, keepalives. Mutual talks to
 * Janus only from the server: browsers never see a session, a handle or a room secret. The typed
 * AudioBridge and VideoRoom helpers are in janus-rooms.ts.
 */

export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
}

/** What the operator configures (JANUS_URL, JANUS_API_SECRET): Deps.circles.janus. */
export interface JanusSettings {
  url: string;
  apiSecret?: string;
}

export interface JanusOptions {
  /** The API's root, e.g. http://127.0.0.1:8088/janus (JANUS_URL). */
  url: string;
  /** Janus's api_secret, when the operator set one. */
  apiSecret?: string | undefined;
  /** How long one request may take (not the long poll), in milliseconds. */
  timeoutMs?: number;
  /** How often a session says it is alive; Janus drops a session silent for its session_timeout (60 s). */
  keepaliveMs?: number;
}

/** Janus refused: its reason, and its numeric code (core codes 4xx, plugin codes 4xx–5xx). */
export class JanusError extends Error {
  constructor(
    message: string,
    readonly code?: number,
  ) {
    super(message);
    this.name = 'JanusError';
  }
}

/** Core error codes a caller may act on. */
export const janusCodes = { sessionNotFound: 458, handleNotFound: 459 } as const;

const jsepSchema = z.looseObject({ type: z.enum(['offer', 'answer']), sdp: z.string() });

const envelopeSchema = z.looseObject({
  janus: z.string(),
  transaction: z.string().optional(),
  session_id: z.number().optional(),
  sender: z.number().optional(),
  data: z.looseObject({ id: z.number().optional() }).optional(),
  plugindata: z.object({ plugin: z.string(), data: z.record(z.string(), z.unknown()) }).optional(),
  jsep: jsepSchema.optional(),
  error: z.object({ code: z.number(), reason: z.string() }).optional(),
  reason: z.string().optional(),
});

/** One message from Janus: a reply, or an event about a session or handle. */
export type JanusEnvelope = z.infer<typeof envelopeSchema>;

/** What a plugin said: its data, and an SDP when it sent one. */
export interface PluginReply {
  data: Record<string, unknown>;
  jsep?: Jsep | undefined;
}

/** An event on a handle: a plugin event (kicked, room destroyed…) or a core one (webrtcup, hangup, media, detached). */
export interface HandleEvent {
  janus: string;
  data?: Record<string, unknown> | undefined;
  jsep?: Jsep | undefined;
  reason?: string | undefined;
}

function transactionId(): string {
  return randomBytes(9).toString('base64url');
}

function pluginError(data: Record<string, unknown>): JanusError | null {
  if (typeof data.error_code !== 'number') return null;
  return new JanusError(typeof data.error === 'string' ? data.error : 'plugin error', data.error_code);
}

/** A Janus server, reached over its HTTP API. */
export class Janus {
  readonly url: string;
  readonly timeoutMs: number;
  readonly keepaliveMs: number;
  private readonly apiSecret: string | undefined;

  constructor(options: JanusOptions) {
    this.url = options.url.replace(/\/+$/, '');
    this.apiSecret = options.apiSecret || undefined;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.keepaliveMs = options.keepaliveMs ?? 25_000;
  }

  /** The server's name, version and plugins (GET /info). */
  async info(): Promise<Record<string, unknown>> {
    const response = await fetch(`${this.url}/info`, { signal: AbortSignal.timeout(this.timeoutMs) });
    const reply = envelopeSchema.parse(await response.json());
    if (reply.janus !== 'server_info') throw new JanusError(`unexpected reply "${reply.janus}" to info`);
    return reply;
  }

  /** A new session, polled for its events until it is destroyed or lost. */
  async createSession(): Promise<JanusSession> {
    const reply = await this.post('', { janus: 'create' });
    const id = reply.data?.id;
    if (reply.janus !== 'success' || typeof id !== 'number') throw new JanusError('Janus did not create a session');
    return new JanusSession(this, id);
  }

  /** Sends one request to the root, a session (`/123`) or a handle (`/123/456`); Janus's refusals are thrown. */
  async post(path: string, body: Record<string, unknown>): Promise<JanusEnvelope> {
    const message = { ...body, transaction: body.transaction ?? transactionId() };
    if (this.apiSecret) Object.assign(message, { apisecret: this.apiSecret });
    const response = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    return this.read(response);
  }

  /** Waits for a session's next events (Janus answers after at most 30 s, with a keepalive when idle). */
  async poll(sessionId: number, signal: AbortSignal): Promise<JanusEnvelope[]> {
    const query = new URLSearchParams({ maxev: '10', rid: String(Date.now()) });
    if (this.apiSecret) query.set('apisecret', this.apiSecret);
    const response = await fetch(`${this.url}/${sessionId}?${query.toString()}`, {
      signal: AbortSignal.any([signal, AbortSignal.timeout(60_000)]),
    });
    const body: unknown = await response.json();
    const list = Array.isArray(body) ? body : [body];
    const events = list.map((item) => envelopeSchema.parse(item));
    const failed = events.find((e) => e.janus === 'error');
    if (failed) throw new JanusError(failed.error?.reason ?? 'error', failed.error?.code);
    return events;
  }

  private async read(response: Response): Promise<JanusEnvelope> {
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new JanusError(`Janus answered ${response.status} with something that is not JSON`);
    }
    const reply = envelopeSchema.parse(parsed);
    if (reply.janus === 'error') throw new JanusError(reply.error?.reason ?? 'error', reply.error?.code);
    return reply;
  }
}

interface Waiter {
  resolve(reply: PluginReply): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/**
 * One Janus session: its handles, the long poll that brings their events, and the keepalives that
 * stop Janus timing it out. When Janus forgets it (restarted, timed out), it closes, and says so
 * to its handles and to `onClose`.
 */
export class JanusSession {
  private readonly handles = new Map<number, JanusHandle>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly stop = new AbortController();
  private readonly keepalive: NodeJS.Timeout;
  private readonly closeListeners = new Set<(reason: string) => void>();
  closed = false;

  constructor(
    readonly janus: Janus,
    readonly id: number,
  ) {
    this.keepalive = setInterval(() => {
      this.janus.post(`/${this.id}`, { janus: 'keepalive' }).catch((error: unknown) => this.lost(error));
    }, janus.keepaliveMs);
    this.keepalive.unref();
    void this.pollLoop();
  }

  /** Attaches a handle to a plugin (janus.plugin.audiobridge, janus.plugin.videoroom). */
  async attach(plugin: string): Promise<JanusHandle> {
    const reply = await this.janus.post(`/${this.id}`, { janus: 'attach', plugin });
    const id = reply.data?.id;
    if (reply.janus !== 'success' || typeof id !== 'number') throw new JanusError(`could not attach to ${plugin}`);
    const handle = new JanusHandle(this, id, plugin);
    this.handles.set(id, handle);
    return handle;
  }

  /** Called once when the session ends, whatever the reason. */
  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Ends the session in Janus (its handles are detached, their media hung up), then here. */
  async destroy(): Promise<void> {
    if (this.closed) return;
    try {
      await this.janus.post(`/${this.id}`, { janus: 'destroy' });
    } finally {
      this.close('destroyed');
    }
  }

  /** @internal Waits for the event that answers an asynchronous message. */
  expect(transaction: string, timeoutMs: number): Promise<PluginReply> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new JanusError('the Janus session is closed'));
        return;
      }
      const timer = setTimeout(() => {
        this.waiters.delete(transaction);
        reject(new JanusError('Janus did not answer in time'));
      }, timeoutMs);
      this.waiters.set(transaction, { resolve, reject, timer });
    });
  }

  /** @internal Stops waiting for an answer (the request itself failed). */
  forget(transaction: string): void {
    const waiter = this.waiters.get(transaction);
    if (waiter) clearTimeout(waiter.timer);
    this.waiters.delete(transaction);
  }

  /** @internal */
  dropHandle(id: number): void {
    this.handles.delete(id);
  }

  private async pollLoop(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      try {
        const events = await this.janus.poll(this.id, this.stop.signal);
        failures = 0;
        for (const event of events) this.dispatch(event);
      } catch (error) {
        if (this.closed) return;
        if (error instanceof JanusError && error.code === janusCodes.sessionNotFound) {
          this.close('lost');
          return;
        }
        // Janus restarting, or the network hiccuping: try again for about as long as Janus keeps a session.
        failures += 1;
        if (failures > 30) {
          this.close('unreachable');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 2_000).unref());
      }
    }
  }

  private dispatch(event: JanusEnvelope): void {
    if (event.janus === 'keepalive' || event.janus === 'ack') return;
    if (event.janus === 'timeout') {
      this.close('timed out');
      return;
    }
    const waiter = event.transaction ? this.waiters.get(event.transaction) : undefined;
    if (waiter && event.janus === 'event' && event.plugindata) {
      this.forget(event.transaction!);
      const data = event.plugindata.data;
      const refused = pluginError(data);
      if (refused) waiter.reject(refused);
      else waiter.resolve({ data, jsep: event.jsep });
      return;
    }
    const handle = event.sender === undefined ? undefined : this.handles.get(event.sender);
    if (!handle) return;
    handle.emit({ janus: event.janus, data: event.plugindata?.data, jsep: event.jsep, reason: event.reason });
    if (event.janus === 'detached') this.handles.delete(handle.id);
  }

  private lost(error: unknown): void {
    if (error instanceof JanusError && error.code === janusCodes.sessionNotFound) this.close('lost');
  }

  private close(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.keepalive);
    this.stop.abort();
    for (const [transaction, waiter] of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new JanusError(`the Janus session ended (${reason})`));
      this.waiters.delete(transaction);
    }
    for (const handle of this.handles.values()) handle.emit({ janus: 'detached', reason });
    this.handles.clear();
    for (const listener of this.closeListeners) listener(reason);
    this.closeListeners.clear();
  }
}

/** A handle on one plugin within a session: one participant's connection, or an administrator's. */
export class JanusHandle {
  private readonly listeners = new Set<(event: HandleEvent) => void>();
  detached = false;

  constructor(
    readonly session: JanusSession,
    readonly id: number,
    readonly plugin: string,
  ) {}

  private get path(): string {
    return `/${this.session.id}/${this.id}`;
  }

  /** A request the plugin answers at once (create, destroy, allowed, kick, mute, list…): its data. */
  async request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const reply = await this.session.janus.post(this.path, { janus: 'message', body });
    if (reply.janus !== 'success' || !reply.plugindata) throw new JanusError(`unexpected reply "${reply.janus}"`);
    const refused = pluginError(reply.plugindata.data);
    if (refused) throw refused;
    return reply.plugindata.data;
  }

  /**
   * A request the plugin answers later, in an event (join, configure, publish, start…), with an
   * SDP offer or answer when one is given: the event's data and SDP.
   */
  async message(body: Record<string, unknown>, jsep?: Jsep, timeoutMs = 15_000): Promise<PluginReply> {
    const transaction = transactionId();
    // Waiting before sending: the event may come back on the long poll before the POST's own reply.
    const answered = this.session.expect(transaction, timeoutMs);
    answered.catch(() => undefined);
    try {
      const reply = await this.session.janus.post(this.path, {
        janus: 'message',
        transaction,
        body,
        ...(jsep ? { jsep: { type: jsep.type, sdp: jsep.sdp } } : {}),
      });
      // Some refusals (a malformed request) come back at once rather than as an event.
      if (reply.janus === 'success' && reply.plugindata) {
        this.session.forget(transaction);
        const refused = pluginError(reply.plugindata.data);
        if (refused) throw refused;
        return { data: reply.plugindata.data, jsep: reply.jsep };
      }
    } catch (error) {
      this.session.forget(transaction);
      throw error;
    }
    return answered;
  }

  /** Passes on one of the browser's ICE candidates, or (null) the end of them. */
  async trickle(candidate: { candidate: string; sdpMid?: string; sdpMLineIndex?: number } | null): Promise<void> {
    await this.session.janus.post(this.path, { janus: 'trickle', candidate: candidate ?? { completed: true } });
  }

  /** Ends the handle's PeerConnection; the handle stays. */
  async hangup(): Promise<void> {
    await this.session.janus.post(this.path, { janus: 'hangup' });
  }

  /** Detaches the handle (the plugin forgets the participant); already gone is fine. */
  async detach(): Promise<void> {
    if (this.detached) return;
    this.detached = true;
    this.session.dropHandle(this.id);
    if (this.session.closed) return;
    try {
      await this.session.janus.post(this.path, { janus: 'detach' });
    } catch (error) {
      if (!(error instanceof JanusError && error.code === janusCodes.handleNotFound)) throw error;
    }
  }

  /** Listens to the handle's events; returns the way to stop. */
  on(listener: (event: HandleEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal */
  emit(event: HandleEvent): void {
    if (event.janus === 'detached') this.detached = true;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error('janus event listener failed:', error);
      }
    }
  }
}
