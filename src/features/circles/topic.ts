import { sql } from 'drizzle-orm';
import type { Bus } from '../../platform/bus/index.js';
import type { Db } from '../../platform/db/client.js';
import type { LiveTopic } from '../../platform/live/hub.js';
import { relayOnly, relayOnlyCandidate } from '../../platform/media/turn.js';
import {
  circleChannel,
  circleEvent,
  clientSignal,
  stateFor,
  type CircleEvent,
  type ClientSignal,
  type SignalData,
} from './frames.js';
import type { CircleMedia } from './media.js';
import { accessParticipant } from './policy.js';
import { announce, readState, HERE_SQL } from './state.js';

/** What the hub keeps about one socket following a circle. */
export interface CircleFollower {
  circleId: number;
  userId: number;
  /** Their participant id: the only id of theirs that frames carry. */
  pid: number;
}

/** Changes of who is here are told at most this often per circle, so a crowd arriving is one state, not many. */
const SETTLE_MS = 100;

/** Signals travel far enough that a circle's frames may be this long (SDP is big)… */
export const CIRCLE_FRAME_CHARS = 20_000;
/** …and this many a minute from one page (a few dozen candidates for each person it connects to). */
export const CIRCLE_FRAMES_PER_MINUTE = 600;

/**
 * Who is here, kept in circle_participants.last_seen_at so that every process sees everyone: set
 * as a page starts following the circle, refreshed at each heartbeat, dropped as it stops (or
 * after 75 seconds without a heartbeat, when a process dies). Each change is told to the circle,
 * and a page that starts following is sent the state as it is.
 */
class Presence {
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** What this process last told each circle, so a heartbeat that changes nothing tells nothing. */
  private readonly told = new Map<number, string>();

  constructor(
    private readonly db: Db,
    private readonly bus: Bus,
  ) {}

  async join(f: CircleFollower): Promise<void> {
    await this.db.execute(sql`update circle_participants set last_seen_at = now() where id = ${f.pid}`);
    this.soon(f.circleId);
  }

  async leave(f: CircleFollower): Promise<void> {
    await this.db.execute(sql`update circle_participants set last_seen_at = now() - ${HERE_SQL} where id = ${f.pid}`);
    this.soon(f.circleId);
  }

  async beat(following: CircleFollower[]): Promise<void> {
    if (following.length === 0) return;
    const pids = [...new Set(following.map((f) => f.pid))];
    await this.db.execute(
      sql`update circle_participants set last_seen_at = now() where id = any(${`{${pids.join(',')}}`}::int[])`,
    );
    for (const circleId of new Set(following.map((f) => f.circleId))) await this.tell(circleId, true);
  }

  private soon(circleId: number): void {
    if (this.timers.has(circleId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(circleId);
      void this.tell(circleId, false).catch(() => undefined);
    }, SETTLE_MS);
    timer.unref();
    this.timers.set(circleId, timer);
  }

  private async tell(circleId: number, onlyIfChanged: boolean): Promise<void> {
    const state = await readState(this.db, circleId);
    if (!state) return;
    const key = JSON.stringify(state);
    if (onlyIfChanged && this.told.get(circleId) === key) return;
    this.told.set(circleId, key);
    await announce(this.bus, state);
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}

interface Sender {
  status: string;
  hide: boolean;
  leader: boolean;
  userId: number;
  groupId: number;
  occurrenceId: number;
  kind: 'voice' | 'video';
  media: 'mesh' | 'janus';
  /** The addressee is let in and here, in the same circle. */
  reachable: boolean;
}

/** The sender and the addressee as they are now, in one query; null when the circle is over or the sender gone. */
async function senderOf(db: Db, f: CircleFollower, to: number | 'server'): Promise<Sender | null> {
  const addressee =
    to === 'server'
      ? sql`true`
      : sql`exists (select 1 from circle_participants q where q.id = ${to} and q.circle_id = c.id
          and q.status = 'admitted' and q.left_at is null and q.last_seen_at > now() - ${HERE_SQL})`;
  const result = (await db.execute(sql`
    select p.status, p.hide_address as hide, p.leader, p.user_id as "userId", c.group_id as "groupId",
      c.occurrence_id as "occurrenceId", c.kind, c.media, ${addressee} as reachable
    from circle_participants p join circles c on c.id = p.circle_id
    where p.id = ${f.pid} and c.id = ${f.circleId} and p.left_at is null and c.ended_at is null`)) as unknown as {
    rows: Sender[];
  };
  return result.rows[0] ?? null;
}

/**
 * What a signal becomes on its way from someone who hides their network address: only relay
 * candidates pass, and their SDP keeps only relay candidates, so no host or server-reflexive
 * address of theirs reaches anyone. Undefined: dropped.
 */
export function screened(data: ClientSignal, hide: boolean): SignalData | undefined {
  if (data.kind === 'candidate') {
    const candidate = hide ? relayOnlyCandidate(data.candidate) : data.candidate;
    if (candidate === undefined) return undefined;
    return {
      kind: 'candidate',
      candidate,
      ...(data.sdpMid !== undefined ? { sdpMid: data.sdpMid } : {}),
      ...(data.sdpMLineIndex !== undefined ? { sdpMLineIndex: data.sdpMLineIndex } : {}),
    };
  }
  return { kind: data.kind, sdp: hide ? relayOnly(data.sdp) : data.sdp };
}

/**
 * The "circle" live topic: followed by the people in a circle (waiting or let in); each is sent
 * the state as they may see it, and the signals addressed to them. What a page sends is relayed
 * only from someone let in, to someone let in and here in the same circle, across processes
 * through the bus; a signal "to the server" goes to the media path.
 */
export function circleTopic(
  db: Db,
  bus: Bus,
  media: CircleMedia,
): { topic: LiveTopic<CircleEvent, CircleFollower, ClientSignal>; close(): void } {
  const presence = new Presence(db, bus);
  const topic: LiveTopic<CircleEvent, CircleFollower, ClientSignal> = {
    event: circleEvent,
    channel: circleChannel,
    async authorise(viewer, circleId) {
      const { me } = await accessParticipant(db, viewer, circleId);
      return { circleId, userId: me.userId, pid: me.id };
    },
    filter: (f, event) => event.type !== 'circle.signal' || event.to === f.pid,
    frameFor(f, event) {
      if (event.type === 'circle.state') return stateFor(event, f.pid);
      return { type: event.type, circleId: event.circleId, from: event.from, data: event.data };
    },
    presence: {
      join: (f) => presence.join(f),
      leave: (f) => presence.leave(f),
      beat: (following) => presence.beat(following.map((x) => x.context)),
    },
    incoming: clientSignal,
    frameChars: CIRCLE_FRAME_CHARS,
    framesPerMinute: CIRCLE_FRAMES_PER_MINUTE,
    async receive(f, circleId, data) {
      if (data.to === f.pid) return;
      const sender = await senderOf(db, f, data.to);
      if (!sender || sender.status !== 'admitted' || !sender.reachable) return;
      if (data.to === 'server') {
        if (sender.media !== 'janus') return;
        const circle = {
          id: circleId,
          groupId: sender.groupId,
          occurrenceId: sender.occurrenceId,
          kind: sender.kind,
          media: sender.media,
        };
        const participant = { pid: f.pid, userId: sender.userId, leader: sender.leader, hideAddress: sender.hide };
        await media.receiveSignal(circle, participant, data, (reply) =>
          announce(bus, { type: 'circle.signal', circleId, from: 'server', to: f.pid, data: reply }),
        );
        return;
      }
      const passed = screened(data, sender.hide);
      if (passed) await announce(bus, { type: 'circle.signal', circleId, from: f.pid, to: data.to, data: passed });
    },
  };
  return { topic, close: () => presence.close() };
}
