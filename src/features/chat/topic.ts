import { and, eq, sql } from 'drizzle-orm';
import type { Bus } from '../../platform/bus/index.js';
import type { Db } from '../../platform/db/client.js';
import type { LiveTopic } from '../../platform/live/hub.js';
import { canModerate, canTakePart } from '../groups/index.js';
import { announce, chatChannel, chatEvent, chatFrame, type ChatEvent } from './live.js';
import { accessRoom } from './policy.js';
import { PRESENT_SQL, presentNames } from './rooms.js';
import { chatParticipants } from './schema.js';

/** What the hub keeps about one socket following a room. */
export interface ChatFollower {
  roomId: number;
  groupId: number;
  userId: number | null;
  /** Counted among those here: a member who may take part, or a leader. */
  present: boolean;
  /** People this follower blocked in the group, or who blocked them: their messages are not sent. */
  blocked: ReadonlySet<number>;
}

/** Presence changes are told at most this often per room, so a crowd arriving is one event, not hundreds. */
const PRESENCE_SETTLE_MS = 100;

/**
 * Who is in a room, kept in chat_participants.last_seen_at so that every process sees everyone:
 * set as a member starts following the room, refreshed at each heartbeat, dropped as they leave
 * (or after 75 seconds without a heartbeat, when a process dies). Each change is told to the room.
 */
class Presence {
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** What this process last told each room, so a heartbeat that changes nothing tells nothing. */
  private readonly told = new Map<number, string>();

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
  ) {}

  async join(f: ChatFollower): Promise<void> {
    if (f.userId === null) return;
    if (!f.present) return this.leave({ ...f, present: true });
    await this.db
      .insert(chatParticipants)
      .values({ roomId: f.roomId, userId: f.userId, groupId: f.groupId, lastSeenAt: sql`now()` })
      .onConflictDoUpdate({
        target: [chatParticipants.roomId, chatParticipants.userId],
        set: { lastSeenAt: sql`now()` },
      });
    this.soon(f.roomId);
  }

  async leave(f: ChatFollower): Promise<void> {
    if (f.userId === null || !f.present) return;
    const gone = await this.db
      .update(chatParticipants)
      .set({ lastSeenAt: sql`now() - ${PRESENT_SQL}` })
      .where(and(eq(chatParticipants.roomId, f.roomId), eq(chatParticipants.userId, f.userId)))
      .returning({ userId: chatParticipants.userId });
    if (gone.length > 0) this.soon(f.roomId);
  }

  async beat(following: ChatFollower[]): Promise<void> {
    const byRoom = new Map<number, number[]>();
    for (const f of following) {
      if (!f.present || f.userId === null) continue;
      const ids = byRoom.get(f.roomId) ?? [];
      ids.push(f.userId);
      byRoom.set(f.roomId, ids);
    }
    // One statement per room with its people as one array parameter: a list of (room, person)
    // pairs made PGlite stop answering at about 1,000 people and took 280 ms per 500 on
    // PostgreSQL; this takes 2 to 25 ms on either (bench/README.md, "Live chat").
    for (const [roomId, ids] of byRoom) {
      await this.db.execute(
        sql`update chat_participants set last_seen_at = now() where room_id = ${roomId} and user_id = any(${`{${ids.join(',')}}`}::int[])`,
      );
    }
    for (const roomId of new Set(following.map((f) => f.roomId))) await this.tell(roomId, true);
  }

  private soon(roomId: number): void {
    if (this.timers.has(roomId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(roomId);
      void this.tell(roomId, false).catch(() => undefined);
    }, PRESENCE_SETTLE_MS);
    timer.unref();
    this.timers.set(roomId, timer);
  }

  private async tell(roomId: number, onlyIfChanged: boolean): Promise<void> {
    const present = await presentNames(this.db, roomId);
    const key = JSON.stringify(present);
    if (onlyIfChanged && this.told.get(roomId) === key) return;
    this.told.set(roomId, key);
    await announce(this.bus, { type: 'chat.presence', roomId, present });
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

/**
 * The "chat" live topic: a room is followed by whoever may read it; each follower is sent the
 * room's messages except those of someone either of them blocked (leaders see all), and the frames
 * carry names in the group, never an account id.
 */
export function chatTopic(db: Db, bus: Bus): { topic: LiveTopic<ChatEvent, ChatFollower>; close(): void } {
  const presence = new Presence(db, bus);
  const topic: LiveTopic<ChatEvent, ChatFollower> = {
    event: chatEvent,
    channel: chatChannel,
    async authorise(viewer, roomId) {
      const ra = await accessRoom(db, viewer, roomId, { blocked: true });
      const leader = canModerate(ra.access);
      // Leaders see everything in a room they keep safe, as they do in the forum.
      const blocked = leader ? [] : (ra.blocked ?? []);
      return {
        roomId,
        groupId: ra.room.groupId,
        userId: viewer?.id ?? null,
        present: viewer !== null && (leader || (canTakePart(ra.access) && !ra.me?.removedAt)),
        blocked: new Set(blocked),
      };
    },
    filter(follower, event) {
      if (event.type === 'chat.message') return event.authorId === null || !follower.blocked.has(event.authorId);
      if (event.type === 'chat.you') return event.userId === follower.userId;
      return true;
    },
    toClient: chatFrame,
    presence: {
      join: (follower) => presence.join(follower),
      leave: (follower) => presence.leave(follower),
      beat: (following) => presence.beat(following.map((f) => f.context)),
    },
  };
  return { topic, close: () => presence.close() };
}
