import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { CircleOptions } from '../../platform/deps.js';
import { Forbidden } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { recheckLiveAccess } from '../../platform/live/hub.js';
import { recordAudit, type Actor, type AuditAction } from '../groups/index.js';
import type { CircleStateEvent } from './frames.js';
import { meshMedia, type CircleMedia, type CircleRef, type ParticipantRef } from './media.js';
import {
  accessCirclePlace,
  assertCanRunCircle,
  assertInCircle,
  assertMayJoin,
  canRunCircle,
  isOpen,
  roomRefusal,
  type CirclePlace,
} from './policy.js';
import { circleParticipants, circles, type Circle, type CircleParticipant } from './schema.js';
import { announce, presentSql, readState } from './state.js';

/*
 * A circle's life: opened by a leader, joined, left, ended. Every change is one function here or
 * in controls.ts, in one transaction that waits for any other change to the same circle; once it
 * commits, everyone in the circle is told the new state, and the media path hears of it.
 */

/** What a change does once committed; routes pass their Deps, tests may leave parts out. */
export interface CircleEffects {
  bus?: Bus | undefined;
  media?: CircleMedia | undefined;
  circles?: CircleOptions | undefined;
  /** Where a media path's failure is reported (it never fails the person's request). */
  log?: ((error: unknown, what: string) => void) | undefined;
}

/** What a change leaves to do after it commits. */
export interface Aftermath {
  /** People whose pages must ask again whether they may follow the circle (they left, or were removed). */
  recheck?: number[];
  /** The circle moved to the media server: it makes the room before anyone is told; `undo` if it cannot. */
  switched?: { undo(db: Db): Promise<void> };
  /** What the media path is told. */
  media?: (media: CircleMedia, circle: CircleRef) => Promise<void>;
}

export interface Change<T> {
  value: T;
  circle: Circle;
  after?: Aftermath;
}

/**
 * Runs one change to a meeting's circle: in a transaction that holds the circle's lock (so that
 * two joins cannot both take the last place), with the circle and the person's part in it as
 * they are now. Once committed, everyone in the circle is told, then the media path.
 */
export async function changeCircle<T>(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  effects: CircleEffects,
  work: (tx: DbOrTx, place: CirclePlace) => Promise<Change<T>>,
): Promise<T> {
  const done = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7303, ${occurrenceId})`);
    return work(tx, await accessCirclePlace(tx, actor, occurrenceId));
  });
  await settle(db, effects, done.circle, done.after ?? {});
  return done.value;
}

const refOf = (circle: Circle, state: CircleStateEvent | null): CircleRef => ({
  id: circle.id,
  groupId: circle.groupId,
  occurrenceId: circle.occurrenceId,
  kind: circle.kind,
  media: state?.circle.media ?? circle.media,
});

export const participantRef = (p: CircleParticipant): ParticipantRef => ({
  pid: p.id,
  userId: p.userId,
  leader: p.leader,
  hideAddress: p.hideAddress,
});

async function settle(db: Db, effects: CircleEffects, circle: Circle, after: Aftermath): Promise<void> {
  const media = effects.media ?? meshMedia;
  const report = (what: string) => (error: unknown) => effects.log?.(error, `circle ${circle.id}: ${what}`);
  if (after.switched) {
    try {
      await media.onSwitched({ ...refOf(circle, null), media: 'janus' });
    } catch (error) {
      report('switching to the media server')(error);
      await after.switched.undo(db);
      throw new Forbidden('circles.errors.full', undefined, { count: effects.circles?.meshLimit ?? 0 });
    }
  }
  const state = await readState(db, circle.id);
  if (state) await announce(effects.bus, state);
  for (const userId of after.recheck ?? []) await recheckLiveAccess(effects.bus, userId);
  const ref = refOf(circle, state);
  await after.media?.(media, ref).catch(report('media'));
  if (state) await media.onState(ref, state).catch(report('media state'));
}

export async function audit(
  tx: DbOrTx,
  place: CirclePlace,
  action: AuditAction,
  subjectUserId: number | null = null,
): Promise<void> {
  await recordAudit(tx, { groupId: place.access.group.id, actorId: place.access.actor!.id, action, subjectUserId });
}

/**
 * Makes room for one more person let in (not counting `userId`, who may be coming back): a mesh
 * holds meshLimit people; past that the circle moves to the media server when the site has one,
 * and is full when it has not.
 */
export async function makeRoom(
  tx: DbOrTx,
  circle: Circle,
  userId: number,
  effects: CircleEffects,
): Promise<Aftermath['switched']> {
  if (circle.media === 'janus') return undefined;
  const limit = effects.circles?.meshLimit ?? 6;
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(circleParticipants)
    .where(
      and(
        eq(circleParticipants.circleId, circle.id),
        eq(circleParticipants.status, 'admitted'),
        ne(circleParticipants.userId, userId),
        presentSql('circle_participants'),
      ),
    );
  if (Number(row?.n ?? 0) < limit) return undefined;
  if (!(effects.media ?? meshMedia).scales) throw new Forbidden('circles.errors.full', undefined, { count: limit });
  await tx.update(circles).set({ media: 'janus' }).where(eq(circles.id, circle.id));
  return {
    undo: async (db) => {
      await db.update(circles).set({ media: 'mesh' }).where(eq(circles.id, circle.id));
    },
  };
}

export const openInput = z.object({ kind: z.enum(['voice', 'video'], 'circles.errors.kind') });

/**
 * Opens a circle for an online meeting while its live room is open: a leader's. One per
 * occurrence; a circle that ended may be opened again (those removed from it stay out).
 */
export async function openCircle(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  input: unknown,
  effects: CircleEffects = {},
): Promise<Circle> {
  const { kind } = parseInput(openInput, input);
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    assertCanRunCircle(place.access);
    const refusal = roomRefusal(place);
    if (refusal) throw new Forbidden(refusal.key, undefined, refusal.vars);
    if (isOpen(place.circle)) throw new Forbidden('circles.errors.alreadyOpen');
    const fresh = {
      kind,
      media: 'mesh' as const,
      openedBy: actor!.id,
      openedAt: new Date(),
      endedAt: null,
      lockedAt: null,
      waitingRoom: place.settings.waitingRoom,
      mode: 'open' as const,
      stickHolder: null,
      shareSeconds: null,
      shareStartedAt: null,
      janusRoom: null,
      janusSecret: null,
    };
    const [circle] = place.circle
      ? await tx.update(circles).set(fresh).where(eq(circles.id, place.circle.id)).returning()
      : await tx
          .insert(circles)
          .values({ ...fresh, occurrenceId, groupId: place.access.group.id })
          .returning();
    await audit(tx, place, 'open_circle');
    return { value: circle!, circle: circle! };
  });
}

const checkbox = z
  .enum(['on', 'true', 'off', 'false', ''])
  .optional()
  .transform((v) => v === 'on' || v === 'true');
export const joinInput = z.object({ hideAddress: checkbox });

/**
 * Joins the circle: straight in, or into its waiting room until a leader lets them in (leaders,
 * and people let in before, go straight in). With "hide my network address" (or when the group
 * forces it) their media goes through the TURN relay only, so a site without one cannot take them hidden.
 */
export async function joinCircle(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  input: unknown,
  effects: CircleEffects = {},
): Promise<CircleParticipant> {
  const wants = parseInput(joinInput, input);
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    const circle = assertMayJoin(place);
    const hideAddress = wants.hideAddress || place.settings.hideAddressesForced;
    if (hideAddress && !effects.circles?.turn) throw new Forbidden('circles.errors.noRelay');
    const leader = canRunCircle(place.access);
    const known = place.me?.status === 'admitted';
    const status = leader || known || !circle.waitingRoom ? 'admitted' : 'waiting';
    const switched = status === 'admitted' ? await makeRoom(tx, circle, actor!.id, effects) : undefined;
    const now = new Date();
    const fresh = {
      status,
      leader,
      hideAddress,
      leftAt: null,
      joinedAt: now,
      lastSeenAt: now,
      cameraOn: false,
      handRaisedAt: null,
    } as const;
    const [me] = await tx
      .insert(circleParticipants)
      .values({ ...fresh, circleId: circle.id, groupId: circle.groupId, userId: actor!.id })
      .onConflictDoUpdate({ target: [circleParticipants.circleId, circleParticipants.userId], set: fresh })
      .returning();
    const after: Aftermath = {
      // Their page may hold the circle with the address setting they had before.
      recheck: place.me ? [actor!.id] : [],
      ...(switched
        ? {
            switched: {
              undo: async (db: Db) => {
                await switched.undo(db);
                await db
                  .update(circleParticipants)
                  .set({ leftAt: new Date() })
                  .where(eq(circleParticipants.id, me!.id));
              },
            },
          }
        : {}),
      ...(status === 'admitted' ? { media: (m, c) => m.onAdmitted(c, participantRef(me!)) } : {}),
    };
    return { value: me!, circle, after };
  });
}

/**
 * Where the talking stick goes when its holder leaves or passes it: to the first raised hand
 * among those let in (not `except`), lowering that hand; null when no hand is up.
 */
export async function nextInQueue(tx: DbOrTx, circleId: number, except: number | null): Promise<number | null> {
  const [next] = await tx
    .select({ id: circleParticipants.id })
    .from(circleParticipants)
    .where(
      and(
        eq(circleParticipants.circleId, circleId),
        eq(circleParticipants.status, 'admitted'),
        sql`${circleParticipants.handRaisedAt} is not null`,
        except === null ? undefined : ne(circleParticipants.id, except),
        presentSql('circle_participants'),
      ),
    )
    .orderBy(circleParticipants.handRaisedAt, circleParticipants.id)
    .limit(1);
  return next?.id ?? null;
}

/** Gives the stick to a participant (lowering their hand), and starts their share's time when there is a timer. */
export async function giveStickTo(tx: DbOrTx, circle: Circle, pid: number | null): Promise<void> {
  await tx
    .update(circles)
    .set({ stickHolder: pid, shareStartedAt: pid !== null && circle.shareSeconds !== null ? new Date() : null })
    .where(eq(circles.id, circle.id));
  if (pid !== null)
    await tx.update(circleParticipants).set({ handRaisedAt: null }).where(eq(circleParticipants.id, pid));
}

/** Leaves the circle (their page goes back to the live room); the stick, if they held it, passes on. */
export async function leaveCircle(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  effects: CircleEffects = {},
): Promise<Circle> {
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    const { circle, me } = assertInCircle(place);
    await tx
      .update(circleParticipants)
      .set({ leftAt: new Date(), handRaisedAt: null })
      .where(eq(circleParticipants.id, me.id));
    if (circle.stickHolder === me.id) await giveStickTo(tx, circle, await nextInQueue(tx, circle.id, me.id));
    return {
      value: circle,
      circle,
      after: { recheck: [me.userId], media: (m, c) => m.onLeft(c, participantRef(me)) },
    };
  });
}

/** Ends the circle for everyone: a leader's. Everyone's page is told, then let go of it. */
export async function endCircle(
  db: Db,
  actor: Actor,
  occurrenceId: number,
  effects: CircleEffects = {},
): Promise<Circle> {
  return changeCircle(db, actor, occurrenceId, effects, async (tx, place) => {
    assertCanRunCircle(place.access);
    if (!isOpen(place.circle)) throw new Forbidden('circles.errors.noCircle');
    const now = new Date();
    const [circle] = await tx
      .update(circles)
      .set({ endedAt: now, lockedAt: null, stickHolder: null, shareStartedAt: null })
      .where(eq(circles.id, place.circle!.id))
      .returning();
    const gone = await tx
      .update(circleParticipants)
      .set({ leftAt: now, handRaisedAt: null })
      .where(
        and(
          eq(circleParticipants.circleId, circle!.id),
          isNull(circleParticipants.leftAt),
          ne(circleParticipants.status, 'removed'),
        ),
      )
      .returning({ userId: circleParticipants.userId });
    await audit(tx, place, 'end_circle');
    return {
      value: circle!,
      circle: circle!,
      after: { recheck: gone.map((p) => p.userId), media: (m, c) => m.onEnded(c) },
    };
  });
}
