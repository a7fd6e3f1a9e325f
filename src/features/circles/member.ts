import { eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { Db } from '../../platform/db/client.js';
import { Forbidden } from '../../platform/errors.js';
import type { Actor } from '../groups/index.js';
import { assertAdmitted, canRunCircle } from './policy.js';
import { circleParticipants, type CircleParticipant } from './schema.js';
import { changeCircle, type CircleEffects } from './service.js';

/*
 * What each person does for themselves in a circle: their microphone, their hand, their camera.
 * The server keeps what they chose and tells everyone; the pages act on it (a closed microphone
 * sends nothing at all).
 */

export type MemberAction = 'mute' | 'unmute' | 'raise-hand' | 'lower-hand' | 'camera-on' | 'camera-off';

export async function actOnSelf(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  action: MemberAction,
  effects: CircleEffects = {},
): Promise<CircleParticipant> {
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    const { circle, me } = assertAdmitted(place);
    let values: PgUpdateSetSource<typeof circleParticipants>;
    switch (action) {
      case 'mute':
        values = { selfMuted: true };
        break;
      case 'unmute':
        if (me.mutedByLeaderAt) throw new Forbidden('circles.errors.mutedByLeader');
        // With a talking stick only its holder speaks, and the leaders who keep the circle safe.
        if (circle.mode === 'stick' && circle.stickHolder !== me.id && !canRunCircle(place.access))
          throw new Forbidden('circles.errors.notHolder');
        values = { selfMuted: false };
        break;
      case 'raise-hand':
        // A hand already up keeps its place in the queue.
        values = { handRaisedAt: sql`coalesce(${circleParticipants.handRaisedAt}, now())` };
        break;
      case 'lower-hand':
        values = { handRaisedAt: null };
        break;
      case 'camera-on':
      case 'camera-off':
        if (circle.kind !== 'video') throw new Forbidden('circles.errors.notVideo');
        values = { cameraOn: action === 'camera-on' };
        break;
    }
    const [changed] = await tx
      .update(circleParticipants)
      .set(values)
      .where(eq(circleParticipants.id, me.id))
      .returning();
    return { value: changed!, circle };
  });
}
