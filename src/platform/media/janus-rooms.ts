import { JanusError, type JanusHandle, type Jsep } from './janus.js';

/*
 * Typed requests of the two Janus plugins circles use, after their documentation
 * (https://janus.conf.meetecho.com/docs/audiobridge.html, …/videoroom.html, Janus 1.1): the
 * AudioBridge mixes a voice circle into one stream down for each person; the VideoRoom forwards
 * each person's audio and video to the others. Rooms are created private, unrecorded, with a secret
 * (needed to mute, kick and destroy) and an `allowed` list of tokens (needed to join).
 */

export type AllowedAction = 'enable' | 'disable' | 'add' | 'remove';

export interface RoomOptions {
  /** The room's number; absent, Janus picks one (a room made again after Janus restarted keeps its own). */
  room?: number;
  /** Needed for every change to the room; Mutual keeps it server-side. */
  secret: string;
  /** The tokens that may join; empty to start with, tokens are added as people are let in. */
  allowed: string[];
  description?: string;
}

function numberOf(data: Record<string, unknown>, key: string): number {
  const value = data[key];
  if (typeof value !== 'number') throw new JanusError(`Janus's reply has no "${key}"`);
  return value;
}

/** What both plugins share: rooms with a secret, tokens, kicking, listing and destroying. */
abstract class RoomPlugin {
  constructor(readonly handle: JanusHandle) {}

  async exists(room: number): Promise<boolean> {
    const data = await this.handle.request({ request: 'exists', room });
    return data.exists === true;
  }

  /** Changes who may join: `add`/`remove` tokens, or `enable`/`disable` the check. The list as it now is. */
  async allowed(room: number, secret: string, action: AllowedAction, tokens: string[] = []): Promise<string[]> {
    const body: Record<string, unknown> = { request: 'allowed', room, secret, action };
    if (action === 'add' || action === 'remove') body.allowed = tokens;
    const data = await this.handle.request(body);
    return Array.isArray(data.allowed) ? data.allowed.map(String) : [];
  }

  /** Puts a participant out of the room (their PeerConnection ends); remove their token first to keep them out. */
  async kick(room: number, secret: string, id: number): Promise<void> {
    await this.handle.request({ request: 'kick', room, secret, id });
  }

  /** Ends the room for everyone in it. */
  async destroy(room: number, secret: string): Promise<void> {
    await this.handle.request({ request: 'destroy', room, secret, permanent: false });
  }
}

export interface BridgeParticipant {
  id: number;
  setup: boolean;
  muted: boolean;
  talking?: boolean;
}

/** The AudioBridge plugin (janus.plugin.audiobridge): one mixed stream for each participant. */
export class AudioBridge extends RoomPlugin {
  static readonly plugin = 'janus.plugin.audiobridge';

  /** Creates a room; Janus picks its number. */
  async create(options: RoomOptions & { samplingRate?: number; audioLevelEvent?: boolean }): Promise<number> {
    const data = await this.handle.request({
      request: 'create',
      ...(options.room === undefined ? {} : { room: options.room }),
      permanent: false,
      is_private: true,
      description: options.description ?? 'circle',
      secret: options.secret,
      allowed: options.allowed,
      sampling_rate: options.samplingRate ?? 16000,
      audiolevel_ext: true,
      audiolevel_event: options.audioLevelEvent ?? false,
      // Nothing in a circle is recorded, ever.
      record: false,
      mjrs: false,
    });
    return numberOf(data, 'room');
  }

  /** Who is in the room, and whether each is muted (by themselves or by the room's administrator). */
  async listParticipants(room: number): Promise<BridgeParticipant[]> {
    const data = await this.handle.request({ request: 'listparticipants', room });
    const list = Array.isArray(data.participants) ? (data.participants as Record<string, unknown>[]) : [];
    return list.map((p) => ({
      id: Number(p.id),
      setup: p.setup === true,
      muted: p.muted === true,
      ...(typeof p.talking === 'boolean' ? { talking: p.talking } : {}),
    }));
  }

  /** Stops a participant's audio reaching the mix, whatever their browser sends. */
  async mute(room: number, secret: string, id: number): Promise<void> {
    await this.handle.request({ request: 'mute', room, secret, id });
  }

  async unmute(room: number, secret: string, id: number): Promise<void> {
    await this.handle.request({ request: 'unmute', room, secret, id });
  }

  /** Joins this handle to a room as participant `id`, with their token; `muted` as they start. */
  async join(options: { room: number; id: number; token: string; muted: boolean; display?: string }): Promise<{
    id: number;
    participants: BridgeParticipant[];
  }> {
    const { data } = await this.handle.message({
      request: 'join',
      room: options.room,
      id: options.id,
      token: options.token,
      muted: options.muted,
      ...(options.display ? { display: options.display } : {}),
    });
    if (data.audiobridge !== 'joined') throw new JanusError(`unexpected "${String(data.audiobridge)}" to join`);
    const list = Array.isArray(data.participants) ? (data.participants as Record<string, unknown>[]) : [];
    return {
      id: numberOf(data, 'id'),
      participants: list.map((p) => ({ id: Number(p.id), setup: p.setup === true, muted: p.muted === true })),
    };
  }

  /** Sends the browser's offer (and the participant's mute state): Janus's answer. */
  async configure(options: { jsep: Jsep; muted?: boolean }): Promise<Jsep> {
    const body: Record<string, unknown> = { request: 'configure' };
    if (options.muted !== undefined) body.muted = options.muted;
    const { jsep } = await this.handle.message(body, options.jsep);
    if (!jsep || jsep.type !== 'answer') throw new JanusError('Janus did not answer the offer');
    return jsep;
  }

  /** Leaves the room (the handle stays attached). */
  async leave(): Promise<void> {
    await this.handle.message({ request: 'leave' });
  }
}

export interface PublishedStream {
  type: string;
  mid: string;
  disabled?: boolean;
  moderated?: boolean;
}

export interface Publisher {
  id: number;
  streams: PublishedStream[];
}

export interface SubscriptionStream {
  mid: string;
  type: string;
  feedId: number;
  feedMid: string;
}

function publishersOf(data: Record<string, unknown>): Publisher[] {
  const list = Array.isArray(data.publishers) ? (data.publishers as Record<string, unknown>[]) : [];
  return list.map((p) => ({
    id: Number(p.id),
    streams: (Array.isArray(p.streams) ? (p.streams as Record<string, unknown>[]) : []).map((s) => ({
      type: String(s.type),
      mid: String(s.mid),
      ...(typeof s.disabled === 'boolean' ? { disabled: s.disabled } : {}),
      ...(typeof s.moderated === 'boolean' ? { moderated: s.moderated } : {}),
    })),
  }));
}

function subscriptionOf(data: Record<string, unknown>): SubscriptionStream[] {
  const list = Array.isArray(data.streams) ? (data.streams as Record<string, unknown>[]) : [];
  return list.map((s) => ({
    mid: String(s.mid),
    type: String(s.type),
    feedId: Number(s.feed_id),
    feedMid: String(s.feed_mid),
  }));
}

/** The VideoRoom plugin (janus.plugin.videoroom): each publisher's streams forwarded to subscribers. */
export class VideoRoom extends RoomPlugin {
  static readonly plugin = 'janus.plugin.videoroom';

  /** Creates a room for up to `publishers` senders; Janus picks its number. */
  async create(options: RoomOptions & { publishers: number; bitrate?: number }): Promise<number> {
    const data = await this.handle.request({
      request: 'create',
      ...(options.room === undefined ? {} : { room: options.room }),
      permanent: false,
      is_private: true,
      description: options.description ?? 'circle',
      secret: options.secret,
      allowed: options.allowed,
      publishers: options.publishers,
      bitrate: options.bitrate ?? 256_000,
      audiocodec: 'opus',
      videocodec: 'vp8',
      // Subscriptions must name the private id of a publisher in the room: a stranger's handle cannot watch.
      require_pvtid: true,
      record: false,
      lock_record: true,
    });
    return numberOf(data, 'room');
  }

  /** Who is in the room, and whether each is publishing. */
  async listParticipants(room: number): Promise<{ id: number; publisher: boolean }[]> {
    const data = await this.handle.request({ request: 'listparticipants', room });
    const list = Array.isArray(data.participants) ? (data.participants as Record<string, unknown>[]) : [];
    return list.map((p) => ({ id: Number(p.id), publisher: p.publisher === true }));
  }

  /** Mutes (or lets through again) one of a publisher's streams, by its mid, whatever the browser sends. */
  async moderate(room: number, secret: string, id: number, mid: string, mute: boolean): Promise<void> {
    await this.handle.request({ request: 'moderate', room, secret, id, mid, mute });
  }

  /** Joins this handle to a room as publisher `id`, with their token: their private id and who already publishes. */
  async joinAsPublisher(options: { room: number; id: number; token: string; display?: string }): Promise<{
    id: number;
    privateId: number;
    publishers: Publisher[];
  }> {
    const { data } = await this.handle.message({
      request: 'join',
      ptype: 'publisher',
      room: options.room,
      id: options.id,
      token: options.token,
      ...(options.display ? { display: options.display } : {}),
    });
    if (data.videoroom !== 'joined') throw new JanusError(`unexpected "${String(data.videoroom)}" to join`);
    return { id: numberOf(data, 'id'), privateId: numberOf(data, 'private_id'), publishers: publishersOf(data) };
  }

  /** Publishes the browser's offer: Janus's answer. */
  async publish(jsep: Jsep): Promise<Jsep> {
    const { jsep: answer } = await this.handle.message({ request: 'publish' }, jsep);
    if (!answer || answer.type !== 'answer') throw new JanusError('Janus did not answer the offer');
    return answer;
  }

  /** Renegotiates a publisher (a new offer from the browser, e.g. the camera turned on): Janus's answer. */
  async configure(jsep: Jsep): Promise<Jsep> {
    const { jsep: answer } = await this.handle.message({ request: 'configure' }, jsep);
    if (!answer || answer.type !== 'answer') throw new JanusError('Janus did not answer the offer');
    return answer;
  }

  /**
   * Subscribes this handle to publishers' streams (one PeerConnection for all of them), as the
   * participant whose private id is given: Janus's offer, for the browser to answer with `start`.
   */
  async subscribe(options: { room: number; privateId: number; token: string; feeds: number[] }): Promise<{
    offer: Jsep;
    streams: SubscriptionStream[];
  }> {
    const { data, jsep } = await this.handle.message({
      request: 'join',
      ptype: 'subscriber',
      room: options.room,
      private_id: options.privateId,
      token: options.token,
      streams: options.feeds.map((feed) => ({ feed })),
    });
    if (!jsep || jsep.type !== 'offer') throw new JanusError('Janus made no offer for the subscription');
    return { offer: jsep, streams: subscriptionOf(data) };
  }

  /** Adds and removes publishers in a subscription: Janus's new offer, when one is needed. */
  async update(changes: { subscribe?: number[]; unsubscribe?: number[] }): Promise<{
    offer?: Jsep;
    streams: SubscriptionStream[];
  }> {
    const body: Record<string, unknown> = { request: 'update' };
    if (changes.subscribe?.length) body.subscribe = changes.subscribe.map((feed) => ({ feed }));
    if (changes.unsubscribe?.length) body.unsubscribe = changes.unsubscribe.map((feed) => ({ feed }));
    const { data, jsep } = await this.handle.message(body);
    return { ...(jsep?.type === 'offer' ? { offer: jsep } : {}), streams: subscriptionOf(data) };
  }

  /** Gives Janus the browser's answer to a subscription offer. */
  async start(answer: Jsep): Promise<void> {
    await this.handle.message({ request: 'start' }, answer);
  }

  async leave(): Promise<void> {
    await this.handle.message({ request: 'leave' });
  }
}

/** The publishers an event on a publisher's handle announces (new feeds), if any. */
export function announcedPublishers(data: Record<string, unknown> | undefined): Publisher[] {
  return data ? publishersOf(data) : [];
}
