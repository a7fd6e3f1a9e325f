import {
  JanusError,
  type HandleEvent,
  type JanusHandle,
  type JanusSession,
  type Jsep,
} from '../../platform/media/janus.js';
import { AudioBridge, VideoRoom, announcedPublishers } from '../../platform/media/janus-rooms.js';
import type { SignalData } from './frames.js';
import { labelSubscription, withoutRoom } from './janus-sdp.js';

/*
 * The Janus connections this process holds for people in circles: for each, the handle their
 * browser's media goes through (an AudioBridge participant, or a VideoRoom publisher with its
 * subscription to the others). Only the process whose WebSocket brought a person's offer holds
 * them; any process can put them out of the room with the room's secret.
 */

/** AudioBridge's "User ID already exists". */
const idTaken = 490;

/** Sends a description to the person's browser, as a circle.signal from "server". */
export type Reply = (data: SignalData) => Promise<void>;

export interface Seat {
  circleId: number;
  pid: number;
  room: number;
  token: string;
  /** Joined muted (a facilitator's mute, or not holding the stick). */
  muted: boolean;
}

/** One person's media through Janus, held by this process. */
export class Connection {
  private stops: (() => void)[] = [];
  /** Video: the subscription to everyone else's streams, its private id, and who it carries. */
  private sub: VideoRoom | null = null;
  private privateId = 0;
  private feeds = new Set<number>();
  private queue: Promise<void> = Promise.resolve();
  closed = false;

  private constructor(
    readonly seat: Seat,
    readonly kind: 'voice' | 'video',
    readonly handle: JanusHandle,
    private readonly reply: Reply,
    private readonly gone: (connection: Connection) => void,
  ) {}

  /** Voice: joins the AudioBridge room as the person, with their token, and answers their offer. */
  static async voice(session: JanusSession, seat: Seat, offer: Jsep, reply: Reply, gone: (c: Connection) => void) {
    const handle = await session.attach(AudioBridge.plugin);
    const connection = new Connection(seat, 'voice', handle, reply, gone);
    try {
      const bridge = new AudioBridge(handle);
      // A seat just given up (kicked, or its handle detached) is freed by Janus a moment later.
      for (let attempt = 1; ; attempt++) {
        try {
          await bridge.join({ room: seat.room, id: seat.pid, token: seat.token, muted: seat.muted });
          break;
        } catch (error) {
          if (!(error instanceof JanusError && error.code === idTaken) || attempt === 15) throw error;
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
      const answer = await bridge.configure({ jsep: offer, muted: seat.muted });
      connection.listen();
      await reply({ kind: 'answer', sdp: withoutRoom(answer.sdp) });
      return connection;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  /** Video: joins the VideoRoom as a publisher, answers their offer, then offers them the others' streams. */
  static async video(session: JanusSession, seat: Seat, offer: Jsep, reply: Reply, gone: (c: Connection) => void) {
    const handle = await session.attach(VideoRoom.plugin);
    const connection = new Connection(seat, 'video', handle, reply, gone);
    try {
      const publisher = new VideoRoom(handle);
      const joined = await publisher.joinAsPublisher({ room: seat.room, id: seat.pid, token: seat.token });
      connection.privateId = joined.privateId;
      const answer = await publisher.publish(offer);
      connection.listen();
      await reply({ kind: 'answer', sdp: withoutRoom(answer.sdp) });
      const others = joined.publishers.map((p) => p.id).filter((id) => id !== seat.pid);
      if (others.length > 0) connection.later(() => connection.subscribe(others, []));
      return connection;
    } catch (error) {
      await connection.close();
      throw error;
    }
  }

  /** The browser's answer to a subscription offer. */
  async answered(sdp: string): Promise<void> {
    await this.sub?.start({ type: 'answer', sdp });
  }

  /** Detaches the handles (Janus drops the person from the room and ends their connections). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.stops) stop();
    const handles = [this.handle, this.sub?.handle].filter((h): h is JanusHandle => h !== undefined);
    await Promise.allSettled(handles.map((h) => h.detach()));
    this.gone(this);
  }

  private later(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((error: unknown) => {
      if (!this.closed) console.error(`circle ${this.seat.circleId}: Janus subscription failed:`, error);
    });
  }

  private listen(): void {
    this.stops.push(this.handle.on((event) => this.onEvent(event)));
  }

  private onEvent(event: HandleEvent): void {
    const data = event.data ?? {};
    // Gone from Janus: detached (the session ended), the room destroyed, or put out of it.
    const out =
      event.janus === 'detached' ||
      data.audiobridge === 'destroyed' ||
      data.videoroom === 'destroyed' ||
      data.kicked === this.seat.pid ||
      (data.leaving === 'ok' && data.reason === 'kicked');
    if (out) {
      void this.close();
      return;
    }
    if (this.kind !== 'video') return;
    const arrived = announcedPublishers(data)
      .map((p) => p.id)
      .filter((id) => id !== this.seat.pid);
    const left = [data.unpublished, data.leaving, data.kicked].filter((id): id is number => typeof id === 'number');
    if (arrived.length > 0 || left.length > 0) this.later(() => this.subscribe(arrived, left));
  }

  /** Adds and removes publishers in the subscription (making it if needed), and offers the result. */
  private async subscribe(add: number[], remove: number[]): Promise<void> {
    if (this.closed) return;
    const adding = add.filter((id) => !this.feeds.has(id));
    const removing = remove.filter((id) => this.feeds.has(id));
    if (!this.sub) {
      if (adding.length === 0) return;
      const sub = new VideoRoom(await this.handle.session.attach(VideoRoom.plugin));
      this.sub = sub;
      // Janus offers again by itself when an update had to wait for the last answer.
      this.stops.push(sub.handle.on((event) => this.subscriptionEvent(event)));
      const { offer, streams } = await sub.subscribe({
        room: this.seat.room,
        privateId: this.privateId,
        token: this.seat.token,
        feeds: adding,
      });
      await this.offer(offer, streams);
      return;
    }
    if (adding.length === 0 && removing.length === 0) return;
    const { offer, streams } = await this.sub.update({ subscribe: adding, unsubscribe: removing });
    if (offer) await this.offer(offer, streams);
    else for (const id of removing) this.feeds.delete(id);
  }

  private subscriptionEvent(event: HandleEvent): void {
    if (event.jsep?.type !== 'offer' || !event.data || !Array.isArray(event.data.streams)) return;
    const jsep = event.jsep;
    const streams = (event.data.streams as Record<string, unknown>[]).map((s) => ({
      mid: String(s.mid),
      feedId: Number(s.feed_id),
    }));
    this.later(() => this.offer(jsep, streams));
  }

  private async offer(offer: Jsep, streams: { mid: string; feedId: number }[]): Promise<void> {
    const byMid = new Map(streams.filter((s) => Number.isFinite(s.feedId)).map((s) => [s.mid, s.feedId]));
    this.feeds = new Set(byMid.values());
    await this.reply({ kind: 'offer', sdp: withoutRoom(labelSubscription(offer.sdp, byMid)) });
  }
}
