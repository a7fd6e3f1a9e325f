import { sql, type SQL } from 'drizzle-orm';
import type { Bus } from '../../platform/bus/index.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { memberNameSql } from '../groups/index.js';
import { circleChannel, type CircleEvent, type CircleStateEvent, type ParticipantView } from './frames.js';
import type { Circle, CircleParticipant } from './schema.js';

/** Here: seen in the last 75 seconds (a page following the circle is seen at every 30-second heartbeat). */
export const HERE_SQL = sql.raw(`interval '75 seconds'`);

/** Someone counted in the circle now: let in or waiting, not gone, and here. */
export const presentSql = (p: string): SQL =>
  sql.raw(`${p}.status <> 'removed' and ${p}.left_at is null and ${p}.last_seen_at > now() - interval '75 seconds'`);

type Timestamp = string | Date | null;
const isoOf = (v: Timestamp) => (v === null ? null : new Date(v).toISOString());

/** The participants column of a circle's state: a JSON array, in the order they came. */
export function participantsSql(circleId: SQL): SQL {
  return sql`(select coalesce(json_agg(x order by x."joinedAt", x.pid), '[]'::json) from (
    select p.id as pid, ${memberNameSql(sql.raw('p.group_id'), sql.raw('p.user_id'))} as name, p.status,
      p.self_muted as "selfMuted", p.muted_by_leader_at is not null as "mutedByLeader", p.camera_on as "cameraOn",
      p.hand_raised_at as "handRaisedAt", p.leader, p.hide_address as "hideAddress", p.joined_at as "joinedAt"
    from circle_participants p where p.circle_id = ${circleId} and ${presentSql('p')}) x)`;
}

interface ParticipantViewRow extends Omit<ParticipantView, 'handRaisedAt' | 'name'> {
  name: string | null;
  handRaisedAt: Timestamp;
}

export function readParticipants(rows: unknown): ParticipantView[] {
  return ((rows ?? []) as ParticipantViewRow[]).map((r) => ({
    pid: Number(r.pid),
    name: r.name ?? '',
    status: r.status,
    selfMuted: r.selfMuted,
    mutedByLeader: r.mutedByLeader,
    cameraOn: r.cameraOn,
    handRaisedAt: isoOf(r.handRaisedAt),
    leader: r.leader,
    hideAddress: r.hideAddress,
  }));
}

/**
 * The participants, with the person themselves among them even when their page was not seen
 * lately (they come back to the circle's page after a while): their own page shows them in it.
 */
export function withSelf(participants: ParticipantView[], me: CircleParticipant, name: string): ParticipantView[] {
  if (me.status === 'removed' || me.leftAt !== null || participants.some((p) => p.pid === me.id)) return participants;
  return [
    ...participants,
    {
      pid: me.id,
      name,
      status: me.status,
      selfMuted: me.selfMuted,
      mutedByLeader: me.mutedByLeaderAt !== null,
      cameraOn: me.cameraOn,
      handRaisedAt: me.handRaisedAt?.toISOString() ?? null,
      leader: me.leader,
      hideAddress: me.hideAddress,
    },
  ];
}

/** A circle and its present participants as the state event carries them. */
export function stateOf(circle: Circle, participants: ParticipantView[]): CircleStateEvent {
  return {
    type: 'circle.state',
    circleId: circle.id,
    circle: {
      kind: circle.kind,
      media: circle.media,
      mode: circle.mode,
      locked: circle.lockedAt !== null,
      ended: circle.endedAt !== null,
      waitingRoom: circle.waitingRoom,
      stickHolder: circle.mode === 'stick' ? circle.stickHolder : null,
      share:
        circle.shareSeconds === null
          ? null
          : { seconds: circle.shareSeconds, startedAt: circle.shareStartedAt?.toISOString() ?? null },
    },
    participants,
  };
}

/** A row of circles as raw SQL gives it (to_json: snake case, timestamps as text). */
export interface CircleRow {
  id: number;
  occurrence_id: number;
  group_id: number;
  kind: Circle['kind'];
  media: Circle['media'];
  opened_by: number | null;
  opened_at: Timestamp;
  ended_at: Timestamp;
  locked_at: Timestamp;
  waiting_room: boolean;
  mode: Circle['mode'];
  stick_holder: number | null;
  share_seconds: number | null;
  share_started_at: Timestamp;
  janus_room: number | string | null;
  janus_secret: string | null;
}

const dateOf = (v: Timestamp) => (v === null ? null : new Date(v));

/** A circle row as raw SQL returns it (snake case, timestamps as text on some drivers). */
export function circleFromRow(r: CircleRow): Circle {
  return {
    id: Number(r.id),
    occurrenceId: Number(r.occurrence_id),
    groupId: Number(r.group_id),
    kind: r.kind,
    media: r.media,
    openedBy: r.opened_by === null ? null : Number(r.opened_by),
    openedAt: new Date(r.opened_at!),
    endedAt: dateOf(r.ended_at),
    lockedAt: dateOf(r.locked_at),
    waitingRoom: r.waiting_room,
    mode: r.mode,
    stickHolder: r.stick_holder === null ? null : Number(r.stick_holder),
    shareSeconds: r.share_seconds,
    shareStartedAt: dateOf(r.share_started_at),
    janusRoom: numberOrNull(r.janus_room),
    janusSecret: r.janus_secret,
  };
}

/** A row of circle_participants as raw SQL gives it. */
export interface ParticipantRow {
  id: number;
  circle_id: number;
  group_id: number;
  user_id: number;
  status: CircleParticipant['status'];
  leader: boolean;
  hide_address: boolean;
  muted_by_leader_at: Timestamp;
  self_muted: boolean;
  camera_on: boolean;
  hand_raised_at: Timestamp;
  joined_at: Timestamp;
  last_seen_at: Timestamp;
  left_at: Timestamp;
  janus_token: string | null;
  janus_session: number | string | null;
  janus_handle: number | string | null;
}

const numberOrNull = (v: number | string | null) => (v === null ? null : Number(v));

export function participantFromRow(r: ParticipantRow): CircleParticipant {
  return {
    id: Number(r.id),
    circleId: Number(r.circle_id),
    groupId: Number(r.group_id),
    userId: Number(r.user_id),
    status: r.status,
    leader: r.leader,
    hideAddress: r.hide_address,
    mutedByLeaderAt: dateOf(r.muted_by_leader_at),
    selfMuted: r.self_muted,
    cameraOn: r.camera_on,
    handRaisedAt: dateOf(r.hand_raised_at),
    joinedAt: new Date(r.joined_at!),
    lastSeenAt: dateOf(r.last_seen_at),
    leftAt: dateOf(r.left_at),
    janusToken: r.janus_token,
    janusSession: numberOrNull(r.janus_session),
    janusHandle: numberOrNull(r.janus_handle),
  };
}

/** The circle's state now, in one statement; null when there is no such circle. */
export async function readState(db: DbOrTx, circleId: number): Promise<CircleStateEvent | null> {
  const result = (await db.execute(sql`
    select to_json(c) as circle, ${participantsSql(sql.raw('c.id'))} as participants
    from circles c where c.id = ${circleId}`)) as unknown as {
    rows: { circle: CircleRow; participants: unknown }[];
  };
  const row = result.rows[0];
  if (!row) return null;
  return stateOf(circleFromRow(row.circle), readParticipants(row.participants));
}

/** Tells a circle's followers, in every process; called after the change commits. */
export async function announce(bus: Bus | undefined, event: CircleEvent): Promise<void> {
  await bus?.publish(circleChannel(event.circleId), event);
}
