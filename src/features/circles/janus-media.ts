import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import { AudioBridge, VideoRoom } from '../../platform/media/janus-rooms.js';
import { Janus, type JanusSession, type JanusSettings } from '../../platform/media/janus.js';
import { Connection, type Reply } from './janus-people.js';
import { isPublisherOffer, publisherAudioMid } from './janus-sdp.js';
import type { ClientSignal } from './frames.js';
import type { CircleMedia, CircleRef, ParticipantRef } from './media.js';
import { circleParticipants, circles } from './schema.js';

/*
 * Circles through the Janus media server, once more people are let in than a mesh holds: a voice
 * circle becomes an AudioBridge room (one mixed stream down for each person), a video circle a
 * VideoRoom. Mutual creates the room with a random secret of its own and a list of tokens, one per
 * person let in; it joins each person with their token, relays their browser's SDP, and does every
 * mute and removal through Janus with the secret. The room, its secret, the tokens and the Janus
 * session never leave the server: a browser cannot mute, unmute or let anyone in, itself included.
 */

/** How many people may publish at once in a video circle's room. */
const videoPublishers = 24;

interface Room {
  id: number;
  secret: string;
}

/** What Mutual wants of someone in Janus: to be in the room at all, and to be heard. */
interface Wanted {
  inside: boolean;
  muted: boolean;
}

function secretToken(): string {
  return randomBytes(24).toString('base64url');
}

export class JanusCircleMedia implements CircleMedia {
  readonly scales = true;
  private readonly janus: Janus;
  private current: Promise<JanusSession> | null = null;
  private admins: Promise<{ session: JanusSession; audio: AudioBridge; video: VideoRoom }> | null = null;
  /** The people whose media goes through this process, by pid. */
  private readonly held = new Map<number, Connection>();
  /** Each person's signals, and each circle's reconciling, are handled one after another. */
  private readonly turns = new Map<string, Promise<void>>();

  constructor(
    private readonly db: Db,
    settings: JanusSettings,
  ) {
    this.janus = new Janus(settings);
  }

  async onSwitched(c: CircleRef): Promise<void> {
    const secret = secretToken();
    const admitted = await this.db
      .select({ pid: circleParticipants.id })
      .from(circleParticipants)
      .where(
        and(
          eq(circleParticipants.circleId, c.id),
          eq(circleParticipants.status, 'admitted'),
          isNull(circleParticipants.leftAt),
        ),
      );
    const tokens = new Map(admitted.map((p) => [p.pid, secretToken()]));
    const room = await this.create(c, { secret, allowed: [...tokens.values()] });
    await this.db.transaction(async (tx) => {
      await tx.update(circles).set({ janusRoom: room, janusSecret: secret }).where(eq(circles.id, c.id));
      for (const [pid, token] of tokens)
        await tx.update(circleParticipants).set({ janusToken: token }).where(eq(circleParticipants.id, pid));
    });
  }

  async onAdmitted(c: CircleRef, p: ParticipantRef): Promise<void> {
    if (c.media !== 'janus') return;
    const room = await this.room(c.id);
    if (room) await this.tokenFor(c, p.pid, room);
  }

  async onLeft(c: CircleRef, p: ParticipantRef): Promise<void> {
    await this.putOut(c, p.pid);
  }

  async onRemoved(c: CircleRef, p: ParticipantRef): Promise<void> {
    await this.putOut(c, p.pid);
  }

  async onMuted(c: CircleRef): Promise<void> {
    if (c.media === 'janus') await this.reconcile(c);
  }

  async onState(c: CircleRef): Promise<void> {
    if (c.media === 'janus') await this.reconcile(c);
  }

  async onEnded(c: CircleRef): Promise<void> {
    const room = await this.room(c.id);
    for (const connection of [...this.held.values()]) if (connection.seat.circleId === c.id) await connection.close();
    if (room) {
      const admin = await this.admin();
      await (c.kind === 'voice' ? admin.audio : admin.video).destroy(room.id, room.secret).catch(() => undefined);
    }
    await this.db.transaction(async (tx) => {
      await tx.update(circles).set({ janusRoom: null, janusSecret: null }).where(eq(circles.id, c.id));
      await tx
        .update(circleParticipants)
        .set({ janusToken: null, janusSession: null, janusHandle: null })
        .where(eq(circleParticipants.circleId, c.id));
    });
  }

  async receiveSignal(c: CircleRef, p: ParticipantRef, data: ClientSignal, reply: Reply): Promise<void> {
    // Candidates are not trickled to the server: each description comes with its own.
    if (c.media !== 'janus' || data.to !== 'server' || data.kind === 'candidate') return;
    const { kind, sdp } = data;
    await this.inTurn(`person ${p.pid}`, async () => {
      if (kind === 'offer') await this.connect(c, p.pid, sdp, reply);
      else {
        const held = this.held.get(p.pid);
        if (held?.kind === 'video') await held.answered(sdp);
      }
    });
  }

  /** Ends this process's Janus session: Janus lets go of every handle it held at once. */
  async close(): Promise<void> {
    const session = await this.current?.catch(() => null);
    this.current = null;
    this.admins = null;
    await session?.destroy().catch(() => undefined);
  }

  /** This process's session with Janus, made on first use and again after Janus lost it. */
  private session(): Promise<JanusSession> {
    if (!this.current) {
      const made = this.janus.createSession();
      this.current = made;
      made.then(
        (session) =>
          session.onClose(() => {
            if (this.current !== made) return;
            this.current = null;
            this.admins = null;
          }),
        () => {
          if (this.current === made) this.current = null;
        },
      );
    }
    return this.current;
  }

  /** Handles for the room requests that need the secret (create, tokens, mute, kick, destroy). */
  private admin(): Promise<{ session: JanusSession; audio: AudioBridge; video: VideoRoom }> {
    if (!this.admins) {
      const made = (async () => {
        const session = await this.session();
        const audio = new AudioBridge(await session.attach(AudioBridge.plugin));
        const video = new VideoRoom(await session.attach(VideoRoom.plugin));
        return { session, audio, video };
      })();
      this.admins = made;
      made.catch(() => {
        if (this.admins === made) this.admins = null;
      });
    }
    return this.admins;
  }

  private inTurn(key: string, step: () => Promise<void>): Promise<void> {
    const next = (this.turns.get(key) ?? Promise.resolve()).catch(() => undefined).then(step);
    this.turns.set(key, next);
    void next
      .finally(() => {
        if (this.turns.get(key) === next) this.turns.delete(key);
      })
      .catch(() => undefined);
    return next;
  }

  private async room(circleId: number): Promise<Room | null> {
    const [row] = await this.db
      .select({ id: circles.janusRoom, secret: circles.janusSecret })
      .from(circles)
      .where(eq(circles.id, circleId));
    return row?.id && row.secret ? { id: row.id, secret: row.secret } : null;
  }

  /** Who should be in the room and who heard, as the circle now stands. */
  private async wanted(circleId: number): Promise<Map<number, Wanted>> {
    const [circle] = await this.db
      .select({ mode: circles.mode, stickHolder: circles.stickHolder })
      .from(circles)
      .where(eq(circles.id, circleId));
    const people = await this.db
      .select({
        pid: circleParticipants.id,
        status: circleParticipants.status,
        leftAt: circleParticipants.leftAt,
        leader: circleParticipants.leader,
        mutedByLeaderAt: circleParticipants.mutedByLeaderAt,
      })
      .from(circleParticipants)
      .where(eq(circleParticipants.circleId, circleId));
    const wanted = new Map<number, Wanted>();
    for (const p of people) {
      const inside = circle !== undefined && p.status === 'admitted' && p.leftAt === null;
      // Leaders may always speak in stick mode, unless another leader muted them.
      const silencedByStick = circle?.mode === 'stick' && !p.leader && circle.stickHolder !== p.pid;
      wanted.set(p.pid, { inside, muted: p.mutedByLeaderAt !== null || silencedByStick });
    }
    return wanted;
  }

  private async create(c: CircleRef, options: { room?: number; secret: string; allowed: string[] }): Promise<number> {
    const admin = await this.admin();
    const room = { ...options, description: 'circle' };
    return c.kind === 'voice' ? admin.audio.create(room) : admin.video.create({ ...room, publishers: videoPublishers });
  }

  /**
   * Makes the circle's room again, with its number, secret and tokens, when Janus no longer has
   * it (Janus restarted: its rooms live in memory only). People then join it as their pages reconnect.
   */
  private async remake(c: CircleRef, room: Room): Promise<void> {
    const tokens = await this.db
      .select({ token: circleParticipants.janusToken })
      .from(circleParticipants)
      .where(eq(circleParticipants.circleId, c.id));
    const allowed = tokens.map((t) => t.token).filter((t): t is string => t !== null);
    await this.create(c, { room: room.id, secret: room.secret, allowed }).catch(async (error: unknown) => {
      // Another process made it again first.
      const admin = await this.admin();
      if (!(await (c.kind === 'voice' ? admin.audio : admin.video).exists(room.id))) throw error;
    });
  }

  /** The person's token for the room (made once per room), added to its allowed list. */
  private async tokenFor(c: CircleRef, pid: number, room: Room): Promise<string> {
    await this.db
      .update(circleParticipants)
      .set({ janusToken: secretToken() })
      .where(and(eq(circleParticipants.id, pid), isNull(circleParticipants.janusToken)));
    const [row] = await this.db
      .select({ token: circleParticipants.janusToken })
      .from(circleParticipants)
      .where(eq(circleParticipants.id, pid));
    const token = row!.token!;
    const admin = await this.admin();
    await (c.kind === 'voice' ? admin.audio : admin.video).allowed(room.id, room.secret, 'add', [token]);
    return token;
  }

  /** Lets go of a person's Janus handle, wherever it is held: here, or by another process. */
  private async release(pid: number): Promise<void> {
    const local = this.held.get(pid);
    if (local) await local.close();
    const [row] = await this.db
      .select({ session: circleParticipants.janusSession, handle: circleParticipants.janusHandle })
      .from(circleParticipants)
      .where(eq(circleParticipants.id, pid));
    if (row?.session && row.handle && row.handle !== local?.handle.id)
      await this.janus.post(`/${row.session}/${row.handle}`, { janus: 'detach' }).catch(() => undefined);
  }

  /** A browser's offer: the person joins the room anew with their token, and gets Janus's answer. */
  private async connect(c: CircleRef, pid: number, sdp: string, reply: Reply): Promise<void> {
    const room = await this.room(c.id);
    const wanted = (await this.wanted(c.id)).get(pid);
    if (!room || !wanted?.inside) return;
    // A mute moderates the publisher's audio line by its mid: no offer may hide a microphone elsewhere.
    if (c.kind === 'video' && !isPublisherOffer(sdp)) return;
    await this.release(pid);
    const admin = await this.admin();
    const plugin = c.kind === 'voice' ? admin.audio : admin.video;
    if (!(await plugin.exists(room.id))) await this.remake(c, room);
    // Whatever seat they still have (a page reloaded, a process gone) is given up first.
    await plugin.kick(room.id, room.secret, pid).catch(() => undefined);
    const token = await this.tokenFor(c, pid, room);
    const session = await this.session();
    const seat = { circleId: c.id, pid, room: room.id, token, muted: wanted.muted };
    const gone = (connection: Connection) => {
      if (this.held.get(pid) === connection) this.held.delete(pid);
    };
    const offer = { type: 'offer' as const, sdp };
    const connection =
      c.kind === 'voice'
        ? await Connection.voice(session, seat, offer, reply, gone)
        : await Connection.video(session, seat, offer, reply, gone);
    this.held.set(pid, connection);
    await this.db
      .update(circleParticipants)
      .set({ janusSession: session.id, janusHandle: connection.handle.id })
      .where(eq(circleParticipants.id, pid));
    // A mute or a removal decided while they were joining is applied now.
    await this.reconcile(c);
  }

  /** Puts someone out of the room (left, or removed): their token goes, then their seat. */
  private async putOut(c: CircleRef, pid: number): Promise<void> {
    if (c.media !== 'janus') return;
    await this.inTurn(`person ${pid}`, async () => {
      await this.release(pid);
      const room = await this.room(c.id);
      const [row] = await this.db
        .select({ token: circleParticipants.janusToken })
        .from(circleParticipants)
        .where(eq(circleParticipants.id, pid));
      if (room) {
        const admin = await this.admin();
        const plugin = c.kind === 'voice' ? admin.audio : admin.video;
        if (row?.token) await plugin.allowed(room.id, room.secret, 'remove', [row.token]);
        await plugin.kick(room.id, room.secret, pid).catch(() => undefined);
      }
      await this.db
        .update(circleParticipants)
        .set({ janusToken: null, janusSession: null, janusHandle: null })
        .where(eq(circleParticipants.id, pid));
    });
  }

  /**
   * Makes Janus match the circle: whoever is in the room but should not be is put out; whoever
   * should be silent (muted by a facilitator, or not holding the stick) is muted there, and the
   * others unmuted (their own mute button stays in their browser).
   */
  private reconcile(c: CircleRef): Promise<void> {
    return this.inTurn(`circle ${c.id}`, () => this.matchJanus(c));
  }

  private async matchJanus(c: CircleRef): Promise<void> {
    const room = await this.room(c.id);
    if (!room) return;
    const wanted = await this.wanted(c.id);
    const admin = await this.admin();
    if (c.kind === 'voice') {
      for (const p of await admin.audio.listParticipants(room.id)) {
        const want = wanted.get(p.id);
        if (!want?.inside) await admin.audio.kick(room.id, room.secret, p.id).catch(() => undefined);
        else if (want.muted && !p.muted) await admin.audio.mute(room.id, room.secret, p.id);
        else if (!want.muted && p.muted) await admin.audio.unmute(room.id, room.secret, p.id);
      }
      return;
    }
    for (const p of await admin.video.listParticipants(room.id)) {
      const want = wanted.get(p.id);
      if (!want?.inside) await admin.video.kick(room.id, room.secret, p.id).catch(() => undefined);
      // Janus keeps no readable record of moderation: it is said again each time (it is idempotent).
      else await admin.video.moderate(room.id, room.secret, p.id, publisherAudioMid, want.muted).catch(() => undefined);
    }
  }
}
