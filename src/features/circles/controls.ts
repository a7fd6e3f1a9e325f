import { and, eq, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Actor } from '../groups/index.js';
import { assertRunsOpenCircle, isIn, type CirclePlace } from './policy.js';
import { circleParticipants, circles, type Circle, type CircleParticipant } from './schema.js';
import { presentSql } from './state.js';
import {
  audit,
  changeCircle,
  giveStickTo,
  makeRoom,
  nextInQueue,
  participantRef,
  type Aftermath,
  type CircleEffects,
} from './service.js';

/*
 * What a circle's leaders do in it (let people in, mute, remove, lock, the talking stick and the
 * share timer), each audited in the group's log. People are named by their participant id ("pid"),
 * which says nothing about their account.
 */

export type ParticipantAction = 'admit' | 'remove' | 'mute' | 'allow-unmute' | 'give-stick';

/** Someone in this circle now, named by their pid; NotFound-like refusal for anyone else. */
async function participantIn(tx: DbOrTx, circle: Circle, pid: number): Promise<CircleParticipant> {
  const [someone] = await tx
    .select()
    .from(circleParticipants)
    .where(and(eq(circleParticipants.id, pid), eq(circleParticipants.circleId, circle.id)));
  if (!isIn(someone ?? null)) throw new Forbidden('circles.errors.notHere');
  return someone!;
}

/** A leader's action on one person in the circle. */
export async function actOnParticipant(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  pid: number,
  action: ParticipantAction,
  effects: CircleEffects = {},
): Promise<Circle> {
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    const circle = assertRunsOpenCircle(place);
    const someone = await participantIn(tx, circle, pid);
    const ref = participantRef(someone);
    const set = (values: Partial<CircleParticipant>) =>
      tx.update(circleParticipants).set(values).where(eq(circleParticipants.id, someone.id));
    let after: Aftermath = {};
    switch (action) {
      case 'admit': {
        if (someone.status !== 'waiting') throw new Forbidden('circles.errors.notWaiting');
        const switched = await makeRoom(tx, circle, someone.userId, effects);
        await set({ status: 'admitted' });
        await audit(tx, place, 'admit_circle_participant', someone.userId);
        after = {
          media: (m, c) => m.onAdmitted(c, ref),
          ...(switched
            ? {
                switched: {
                  undo: async (db: Db) => {
                    await switched.undo(db);
                    await db
                      .update(circleParticipants)
                      .set({ status: 'waiting' })
                      .where(eq(circleParticipants.id, someone.id));
                  },
                },
              }
            : {}),
        };
        break;
      }
      case 'remove': {
        if (someone.userId === actor!.id) throw new Forbidden('circles.errors.self');
        // For the rest of the meeting: the circle will not take them again, even reopened.
        await set({ status: 'removed', leftAt: new Date(), handRaisedAt: null });
        if (circle.stickHolder === someone.id) await giveStickTo(tx, circle, await nextInQueue(tx, circle.id, pid));
        await audit(tx, place, 'remove_circle_participant', someone.userId);
        after = { recheck: [someone.userId], media: (m, c) => m.onRemoved(c, ref) };
        break;
      }
      case 'mute': {
        if (someone.userId === actor!.id) throw new Forbidden('circles.errors.self');
        await set({ mutedByLeaderAt: new Date(), selfMuted: true });
        await audit(tx, place, 'mute_circle_participant', someone.userId);
        after = { media: (m, c) => m.onMuted(c, ref, true) };
        break;
      }
      case 'allow-unmute': {
        // They may unmute now; their microphone stays closed until they open it themselves.
        await set({ mutedByLeaderAt: null });
        await audit(tx, place, 'allow_unmute', someone.userId);
        after = { media: (m, c) => m.onMuted(c, ref, false) };
        break;
      }
      case 'give-stick': {
        if (circle.mode !== 'stick') throw new Forbidden('circles.errors.notStick');
        if (someone.status !== 'admitted') throw new Forbidden('circles.errors.notHere');
        await giveStickTo(tx, circle, someone.id);
        await audit(tx, place, 'pass_stick', someone.userId);
        break;
      }
    }
    return { value: circle, circle, after };
  });
}

/** Mutes everyone let in but the circle's leaders; none of them can unmute until allowed. */
export async function muteAll(db: Db, actor: Actor, occurrenceId: number, effects: CircleEffects = {}) {
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    const circle = assertRunsOpenCircle(place);
    const muted = await tx
      .update(circleParticipants)
      .set({ mutedByLeaderAt: new Date(), selfMuted: true })
      .where(
        and(
          eq(circleParticipants.circleId, circle.id),
          eq(circleParticipants.status, 'admitted'),
          eq(circleParticipants.leader, false),
          ne(circleParticipants.userId, actor!.id),
          presentSql('circle_participants'),
        ),
      )
      .returning();
    await audit(tx, place, 'mute_all_in_circle');
    const after: Aftermath = {
      media: async (m, c) => {
        for (const p of muted) await m.onMuted(c, participantRef(p), true);
      },
    };
    return { value: circle, circle, after };
  });
}

/** Locks the circle to newcomers, or opens it to them again. */
export async function setLocked(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  locked: boolean,
  effects: CircleEffects = {},
): Promise<Circle> {
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    const circle = assertRunsOpenCircle(place);
    if ((circle.lockedAt !== null) !== locked) {
      await tx
        .update(circles)
        .set({ lockedAt: locked ? new Date() : null })
        .where(eq(circles.id, circle.id));
      await audit(tx, place, locked ? 'lock_circle' : 'unlock_circle');
    }
    return { value: circle, circle };
  });
}

export const modeInput = z.object({ mode: z.enum(['open', 'stick'], 'circles.errors.mode') });

/**
 * Open conversation, or a talking stick: only its holder's microphone is open (and leaders').
 * The stick starts with the first raised hand, if any.
 */
export async function setMode(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  input: unknown,
  effects: CircleEffects = {},
): Promise<Circle> {
  const { mode } = parseInput(modeInput, input);
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    const circle = assertRunsOpenCircle(place);
    if (circle.mode !== mode) {
      await tx.update(circles).set({ mode }).where(eq(circles.id, circle.id));
      await giveStickTo(tx, circle, mode === 'stick' ? await nextInQueue(tx, circle.id, null) : null);
      await audit(tx, place, 'set_circle_mode');
    }
    return { value: circle, circle };
  });
}

/** Passes the stick to the first raised hand: its holder's to do when they finish, or a leader's. */
export async function passStick(db: Db, actor: Actor, occurrenceId: number, effects: CircleEffects = {}) {
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place: CirclePlace) => {
    const circle = place.circle;
    const holder = circle !== null && place.me !== null && circle.stickHolder === place.me.id && isIn(place.me);
    const runs = holder ? circle : assertRunsOpenCircle(place);
    if (runs.endedAt !== null) throw new Forbidden('circles.errors.noCircle');
    if (runs.mode !== 'stick') throw new Forbidden('circles.errors.notStick');
    const next = await nextInQueue(tx, runs.id, runs.stickHolder);
    if (next === null) throw new Forbidden('circles.errors.noHands');
    await giveStickTo(tx, runs, next);
    await audit(tx, place, 'pass_stick', await userOf(tx, next));
    return { value: runs, circle: runs };
  });
}

async function userOf(tx: DbOrTx, pid: number): Promise<number | null> {
  const [row] = await tx
    .select({ userId: circleParticipants.userId })
    .from(circleParticipants)
    .where(eq(circleParticipants.id, pid));
  return row?.userId ?? null;
}

/** The share timer: seconds a share may take (30 to 1800), or "" for none. */
export const timerInput = z.object({
  seconds: z
    .string('circles.errors.timer')
    .trim()
    .refine((v) => v === '' || v === 'off' || (/^\d{1,4}$/.test(v) && +v >= 30 && +v <= 1800), 'circles.errors.timer')
    .transform((v) => (v === '' || v === 'off' ? null : Number(v))),
});

export async function setShareTimer(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  input: unknown,
  effects: CircleEffects = {},
): Promise<Circle> {
  const { seconds } = parseInput(timerInput, input);
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    const circle = assertRunsOpenCircle(place);
    await tx.update(circles).set({ shareSeconds: seconds, shareStartedAt: null }).where(eq(circles.id, circle.id));
    await audit(tx, place, 'set_share_timer');
    return { value: circle, circle };
  });
}

/** Starts the share timer now (for the next person to speak, in an open conversation). */
export async function startShare(db: Db, actor: Actor, occurrenceId: number, effects: CircleEffects = {}) {
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    const circle = assertRunsOpenCircle(place);
    if (circle.shareSeconds === null) throw new Forbidden('circles.errors.noTimer');
    await tx
      .update(circles)
      .set({ shareStartedAt: sql`now()` })
      .where(eq(circles.id, circle.id));
    return { value: circle, circle };
  });
}
