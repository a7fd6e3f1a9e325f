import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import { meetingRoomStandingSql, readStanding, takingPartRefusal, type Refusal, type Standing } from '../chat/index.js';
import { accessGroupById, assertCanModerate, canModerate, type Actor, type GroupAccess } from '../groups/index.js';
import {
  accessOccurrence,
  liveRoomState,
  LIVE_ROOM_OPENS_BEFORE_MS,
  type OccurrenceAccess,
} from '../meetings/index.js';
import type { Circle, CircleParticipant } from './schema.js';
import type { ParticipantView } from './frames.js';
import {
  circleFromRow,
  participantFromRow,
  participantsSql,
  readParticipants,
  type CircleRow,
  type ParticipantRow,
} from './state.js';

/*
 * Who may do what in a circle. A circle belongs to an online meeting's live room: it is opened,
 * run and ended by those who run the room (owners, facilitators, moderators: canModerate), and
 * joined by those who may take part in the room (members in good standing, not taken out of it
 * or of the circle). Everything that reads or writes a circle comes through here.
 */

export interface CircleSettingsView {
  /** Everyone's media goes through the relay: nobody in the group's circles shows their address. */
  hideAddressesForced: boolean;
  /** Whether a new circle has a waiting room. */
  waitingRoom: boolean;
}

/** A meeting's circle as one person may see it: the meeting, the circle (if one was opened), and their part in it. */
export interface CirclePlace extends OccurrenceAccess {
  circle: Circle | null;
  me: CircleParticipant | null;
  /** Their standing in the meeting's live room (a facilitator took them out of it, say). */
  standing: Standing | null;
  settings: CircleSettingsView;
  /** Who is in the circle now, when asked for. */
  participants?: ParticipantView[];
}

/** An open circle: one that was opened and has not ended. */
export const isOpen = (circle: Circle | null): boolean => circle !== null && circle.endedAt === null;

/** In the circle now: let in or waiting, and not gone. */
export const isIn = (me: CircleParticipant | null): me is CircleParticipant =>
  me !== null && me.status !== 'removed' && me.leftAt === null;

export const canRunCircle = (access: GroupAccess): boolean => canModerate(access);

export function assertCanRunCircle(access: GroupAccess): void {
  assertCanModerate(access);
}

/**
 * A meeting's circle and this person's part in it, in three queries (the meeting's two, then
 * one for the circle, their place in it, the group's settings and their standing in the room);
 * NotFound for anyone who may not read the meeting, or a meeting that does not meet online.
 */
export async function accessCirclePlace(
  db: DbOrTx,
  actor: Actor,
  occurrenceId: number,
  opts: { participants?: boolean } = {},
): Promise<CirclePlace> {
  const found = await accessOccurrence(db, actor, occurrenceId).catch((error: unknown) => {
    // A meeting the person may not read does not exist, as a discussion does not.
    if (error instanceof Forbidden) throw new NotFound();
    throw error;
  });
  if (found.meeting.kind !== 'online') throw new NotFound();
  const viewer = actor?.id ?? -1;
  const result = (await db.execute(sql`select
    (select to_json(c) from circles c where c.occurrence_id = ${occurrenceId}) as circle,
    (select to_json(p) from circle_participants p join circles c on c.id = p.circle_id
      where c.occurrence_id = ${occurrenceId} and p.user_id = ${viewer}) as me,
    (select to_json(s) from circle_settings s where s.group_id = ${found.access.group.id}) as settings,
    ${meetingRoomStandingSql(occurrenceId, viewer)} as standing,
    ${opts.participants ? sql`(select ${participantsSql(sql.raw('c.id'))} from circles c where c.occurrence_id = ${occurrenceId})` : sql`null`} as participants`)) as unknown as {
    rows: {
      circle: CircleRow | null;
      me: ParticipantRow | null;
      settings: { hide_addresses_forced: boolean; waiting_room_default: boolean | null } | null;
      standing: Record<string, string | null> | null;
      participants: unknown;
    }[];
  };
  const row = result.rows[0]!;
  return {
    ...found,
    circle: row.circle ? circleFromRow(row.circle) : null,
    me: row.me ? participantFromRow(row.me) : null,
    standing: readStanding(row.standing),
    settings: settingsOf(found.access, row.settings),
    ...(opts.participants ? { participants: readParticipants(row.participants) } : {}),
  };
}

/** A group's settings, with the waiting room's default made out (on for professionally run groups). */
export function settingsOf(
  access: GroupAccess,
  row: { hide_addresses_forced: boolean; waiting_room_default: boolean | null } | null,
): CircleSettingsView {
  return {
    hideAddressesForced: row?.hide_addresses_forced ?? false,
    waitingRoom: row?.waiting_room_default ?? access.group.leadership === 'professional',
  };
}

/** Why the live room takes no circle now (not open yet, over, cancelled); null when it does. */
export function roomRefusal(place: OccurrenceAccess, now = new Date()): Refusal | null {
  const state = liveRoomState(place.meeting, place.occurrence, now);
  if (state === 'cancelled') return { key: 'chat.errors.cancelled' };
  if (state === 'ended') return { key: 'chat.errors.ended' };
  if (state === 'notYetOpen') {
    const opens = new Date(place.occurrence.startsAt.getTime() - LIVE_ROOM_OPENS_BEFORE_MS);
    return { key: 'chat.errors.notYetOpen', vars: { opens } };
  }
  return null;
}

/**
 * Why this person may not join the circle now, in this order: their part in the group and the room,
 * a facilitator's removal, the room's state, the circle itself (none open, locked to newcomers);
 * null when they may. Whether it is full is for the join itself to say.
 */
export function joinRefusal(place: CirclePlace, now = new Date()): Refusal | null {
  const leader = canRunCircle(place.access);
  if (place.me?.status === 'removed' && !leader) return { key: 'circles.errors.removed' };
  const part = takingPartRefusal({ access: place.access, me: place.standing });
  if (part) return part;
  const room = roomRefusal(place, now);
  if (room) return room;
  if (!isOpen(place.circle)) return { key: 'circles.errors.noCircle' };
  // Someone let in before may come back to a locked circle; only newcomers are kept out.
  const knownHere = place.me?.status === 'admitted';
  if (place.circle!.lockedAt && !leader && !knownHere) return { key: 'circles.errors.locked' };
  return null;
}

export function assertMayJoin(place: CirclePlace, now = new Date()): Circle {
  const refusal = joinRefusal(place, now);
  if (refusal) throw new Forbidden(refusal.key, undefined, refusal.vars);
  return place.circle!;
}

/**
 * Someone in the circle now (let in or waiting) who may still take part in the room (not banned
 * or taken out of it since they joined), for what they do in it; Forbidden otherwise.
 */
export function assertInCircle(place: CirclePlace): { circle: Circle; me: CircleParticipant } {
  if (!isOpen(place.circle)) throw new Forbidden('circles.errors.noCircle');
  if (place.me?.status === 'removed') throw new Forbidden('circles.errors.removed');
  if (!isIn(place.me)) throw new Forbidden('circles.errors.notIn');
  const part = takingPartRefusal({ access: place.access, me: place.standing });
  if (part) throw new Forbidden(part.key, undefined, part.vars);
  return { circle: place.circle!, me: place.me };
}

/** Someone let into the circle, for what only they may do (speak, show their camera). */
export function assertAdmitted(place: CirclePlace): { circle: Circle; me: CircleParticipant } {
  const found = assertInCircle(place);
  if (found.me.status !== 'admitted') throw new Forbidden('circles.errors.waiting');
  return found;
}

/** A leader of the room, for a circle that is open. */
export function assertRunsOpenCircle(place: CirclePlace): Circle {
  assertCanRunCircle(place.access);
  if (!isOpen(place.circle)) throw new Forbidden('circles.errors.noCircle');
  return place.circle!;
}

export interface ParticipantAccess {
  access: GroupAccess;
  circle: Circle;
  me: CircleParticipant;
}

/**
 * Someone in a circle now, by the circle's id: for following it live and for its ICE servers.
 * Two queries at once; NotFound for anyone else (not in it, removed, gone, no longer able to take
 * part in the room), the same as for a circle that does not exist.
 */
export async function accessParticipant(db: DbOrTx, actor: Actor, circleId: number): Promise<ParticipantAccess> {
  if (!actor || !Number.isSafeInteger(circleId) || circleId <= 0 || circleId > 2_147_483_647) throw new NotFound();
  const [access, result] = await Promise.all([
    accessGroupById(db, actor, sql`(select c.group_id from circles c where c.id = ${circleId})`).catch(
      (error: unknown) => {
        if (error instanceof NotFound) return null;
        throw error;
      },
    ),
    db.execute(sql`select to_json(c) as circle,
      (select to_json(p) from circle_participants p where p.circle_id = c.id and p.user_id = ${actor.id}) as me,
      ${meetingRoomStandingSql(sql`c.occurrence_id`, actor.id)} as standing
      from circles c where c.id = ${circleId}`) as unknown as Promise<{
      rows: { circle: CircleRow; me: ParticipantRow | null; standing: Record<string, string | null> | null }[];
    }>,
  ]);
  const row = result.rows[0];
  if (!access || !row?.me) throw new NotFound();
  const circle = circleFromRow(row.circle);
  const me = participantFromRow(row.me);
  if (!isOpen(circle) || !isIn(me)) throw new NotFound();
  if (takingPartRefusal({ access, me: readStanding(row.standing) })) throw new NotFound();
  return { access, circle, me };
}

/** Whether the "hide my network address" box starts ticked: for those with an alias in the group, or where they post anonymously. */
export function hidesByDefault(place: CirclePlace): boolean {
  return place.settings.hideAddressesForced || place.access.alias !== null || place.access.group.anonymousPosts;
}
