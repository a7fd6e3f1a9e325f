import { sql } from 'drizzle-orm';
import type { RoomExtension } from '../chat/index.js';
import { nameInGroup } from '../groups/index.js';
import type { ParticipantView } from './frames.js';
import { stateFor } from './frames.js';
import { isIn, isOpen, joinRefusal, roomRefusal, settingsOf, type CirclePlace } from './policy.js';
import type { Circle, CircleParticipant } from './schema.js';
import {
  circleFromRow,
  participantFromRow,
  participantsSql,
  readParticipants,
  stateOf,
  withSelf,
  type CircleRow,
  type ParticipantRow,
} from './state.js';
import { circlePath, CirclePanel, circleProps, CircleSection, roomPath, scriptsIfServed } from './views.js';

interface Found {
  circle: Circle | null;
  me: CircleParticipant | null;
  participants: ParticipantView[];
}

/** The page's focus that shows the circle itself (its address, /meetings/:occurrenceId/circle). */
export const CIRCLE_FOCUS = 'circle';

/**
 * The circle in a meeting's live room, asked for in the room's own statement: on the room's page
 * its panel (open one, join it, go back to it); under its own address, the circle beside the chat
 * for the people in it (anyone else is sent to join it first, or back to the room).
 */
export const circleRoomExtension: RoomExtension<Found> = {
  name: 'circles',
  query(viewer, occurrenceId) {
    if (!viewer) return null;
    return sql`select to_json(c) as circle,
      (select to_json(p) from circle_participants p where p.circle_id = c.id and p.user_id = ${viewer.id}) as me,
      ${participantsSql(sql.raw('c.id'))} as participants
      from circles c where c.occurrence_id = ${occurrenceId}`;
  },
  read(rows) {
    const row = rows[0];
    if (!row) return { circle: null, me: null, participants: [] };
    return {
      circle: circleFromRow(row.circle as CircleRow),
      me: row.me ? participantFromRow(row.me as ParticipantRow) : null,
      participants: readParticipants(row.participants),
    };
  },
  render(ctx, found, room) {
    const place: CirclePlace = {
      access: room.access,
      meeting: room.meeting.meeting,
      occurrence: room.meeting.occurrence,
      circle: found.circle,
      me: found.me,
      standing: room.page.me,
      settings: settingsOf(room.access, null),
    };
    if (room.focus !== CIRCLE_FOCUS) {
      const panel = CirclePanel({
        ctx,
        place,
        refusal: joinRefusal(place),
        roomOpen: roomRefusal(place) === null,
      });
      return { panel };
    }
    const { circle, me } = found;
    if (!circle || !isOpen(circle)) return { redirect: roomPath(place.occurrence.id) };
    // Not in it, or no longer able to take part: the device check page says why, and lets them join.
    if (!isIn(me) || room.refusal) return { redirect: `${circlePath(place.occurrence.id)}/check` };
    const here = withSelf(found.participants, me, nameInGroup(room.access) ?? '');
    const state = stateFor(stateOf(circle, here), me.id);
    const title = ctx.t(`circles.page.title.${circle.kind}`, { title: place.meeting.title });
    const props = circleProps(ctx, circle, me, state);
    return { title, panel: CircleSection({ ctx, title, props }), scripts: scriptsIfServed('circle.js') };
  },
};
