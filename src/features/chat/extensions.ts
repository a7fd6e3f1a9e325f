import { sql, type SQL } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import type { PageContext, Viewer } from '../../platform/http/page.js';
import type { GroupAccess } from '../groups/index.js';
import type { Refusal, RoomMeeting, RoomState } from './policy.js';
import type { RoomPage } from './rooms.js';

/**
 * What other features add to a meeting's live room (its voice or video circle), without the chat
 * knowing them, as forum/extensions.ts does for threads: each registers a RoomExtension with
 * `app.roomExtensions.push(…)` after the chat's routes are set up. Each extension's question is a
 * column of the room's own statement, so the page costs no round trip more.
 *
 * A feature may also show the room under an address of its own, with its part on top
 * (`app.meetingRoomPage(request, reply, occurrenceId, focus)`, the circle beside the chat): its
 * render is then given that focus, and may send the person elsewhere instead.
 */
export interface RoomExtension<T = unknown> {
  name: string;
  /**
   * One SELECT for this reader and occurrence, which must check for itself what the reader may
   * see; null for nothing. Its rows reach `read` as JSON objects.
   */
  query(viewer: Viewer | null, occurrenceId: number): SQL | null;
  read(rows: Record<string, unknown>[]): T;
  render(ctx: PageContext, data: T, room: RoomContext): RoomExtra | null;
  /**
   * A leader ended the meeting in its room (committed): what the extension ends with it (the
   * circle). Its failure is logged; the meeting stays ended.
   */
  ended?(viewer: Viewer, occurrenceId: number): Promise<void>;
}

/** The room as its page shows it to this person. */
export interface RoomContext {
  access: GroupAccess;
  meeting: RoomMeeting;
  state: RoomState;
  /** Why they cannot take part in the room at all (not a member, taken out of it); null when they can. */
  refusal: Refusal | null;
  page: RoomPage;
  /** The extension's own address was asked for (its focus), or null on the room's page. */
  focus: string | null;
}

export interface RoomExtra {
  /** What it shows above the chat. */
  panel?: VNode | null;
  /** The scripts (names in assets.ts) the panel needs. */
  scripts?: string[];
  /** With the focus: the page's title. */
  title?: string;
  /** With the focus: where this person should go instead (303). */
  redirect?: string;
}

export type MeetingRoomPage = (
  request: FastifyRequest,
  reply: FastifyReply,
  occurrenceId: number,
  focus: string,
) => Promise<FastifyReply>;

declare module 'fastify' {
  interface FastifyInstance {
    /** What features add to a meeting's live room; see RoomExtension. */
    roomExtensions: RoomExtension[];
    /** A meeting's live room with an extension's part on top; see RoomExtension. */
    meetingRoomPage: MeetingRoomPage;
  }
}

/** Each extension's query as a column of the room's statement (a JSON array of its rows). */
export function roomExtensionColumns(
  extensions: readonly RoomExtension[],
  viewer: Viewer | null,
  occurrenceId: number | null,
): Record<string, SQL> {
  const columns: Record<string, SQL> = {};
  if (occurrenceId === null) return columns;
  extensions.forEach((e, i) => {
    const q = e.query(viewer, occurrenceId);
    if (q) columns[`x${i}`] = sql`(select coalesce(json_agg(x), '[]'::json) from (${q}) x)`;
  });
  return columns;
}

/** What the extensions show, read from their columns. */
export function roomExtras(
  extensions: readonly RoomExtension[],
  columns: Record<string, unknown>,
  ctx: PageContext,
  room: RoomContext,
): RoomExtra[] {
  const extras: RoomExtra[] = [];
  extensions.forEach((e, i) => {
    const rows = (columns[`x${i}`] ?? []) as Record<string, unknown>[];
    const extra = e.render(ctx, e.read(rows), room);
    if (extra) extras.push(extra);
  });
  return extras;
}
