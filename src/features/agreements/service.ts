import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, Invalid } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { renderMarkdown } from '../../platform/views/markdown.js';
import { accessGroup, recordAudit, type Actor, type GroupAccess } from '../groups/index.js';
import { createNotifications, notify } from '../notifications/index.js';
import { assertCanEditAgreements, standingOf } from './policy.js';
import { agreementAcceptances, groupAgreements, type GroupAgreements } from './schema.js';

/** The agreements a group has written; null while it has written none. */
export async function readAgreements(db: DbOrTx, groupId: number): Promise<GroupAgreements | null> {
  const [row] = await db.select().from(groupAgreements).where(eq(groupAgreements.groupId, groupId));
  return row ?? null;
}

const checkbox = z
  .union([z.literal('on'), z.literal('true'), z.literal(''), z.boolean()])
  .optional()
  .transform((v) => v === 'on' || v === 'true' || v === true);

export const agreementsInput = z.object({
  body: z.string().trim().max(20000, 'agreements.errors.bodyLength').default(''),
  welcomeMessage: z.string().trim().max(5000, 'agreements.errors.welcomeLength').default(''),
  monthlyReminder: checkbox,
  /** A change of substance: every member reads and accepts them again before posting. */
  acceptAgain: checkbox,
});

/** Marks that this person accepted this version of the group's agreements (now). */
async function recordAcceptance(tx: DbOrTx, groupId: number, userId: number, version: number): Promise<void> {
  await tx
    .insert(agreementAcceptances)
    .values({ groupId, userId, version })
    .onConflictDoUpdate({
      target: [agreementAcceptances.groupId, agreementAcceptances.userId],
      set: { version, acceptedAt: new Date() },
    });
}

/**
 * Writes a group's agreements and welcome. The first agreements are version 1; a later change
 * moves the version on only when its writer asks members to accept again (a typo fix need not).
 * Members who must accept are told ('agreements_changed'); emptying the agreements removes them,
 * and with them what anyone had accepted.
 */
export async function saveAgreements(db: Db, actor: Actor, slug: string, input: unknown): Promise<GroupAgreements> {
  const data = parseInput(agreementsInput, input);
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanEditAgreements(access);
    const groupId = access.group.id;
    const [before] = await tx.select().from(groupAgreements).where(eq(groupAgreements.groupId, groupId)).for('update');
    const previous = before?.version ?? 0;
    const version = data.body === '' ? 0 : previous === 0 ? 1 : data.acceptAgain ? previous + 1 : previous;
    const values = {
      body: data.body,
      bodyHtml: data.body === '' ? '' : renderMarkdown(data.body),
      version,
      welcomeMessage: data.welcomeMessage,
      monthlyReminder: data.monthlyReminder && version > 0,
      updatedAt: new Date(),
      updatedBy: actor!.id,
    };
    const [saved] = await tx
      .insert(groupAgreements)
      .values({ groupId, ...values })
      .onConflictDoUpdate({ target: groupAgreements.groupId, set: values })
      .returning();
    if (version === 0 && previous > 0) {
      await tx.delete(agreementAcceptances).where(eq(agreementAcceptances.groupId, groupId));
    }
    const askedAgain = version > previous;
    if (askedAgain) {
      // Whoever wrote them has read them.
      await recordAcceptance(tx, groupId, actor!.id, version);
      await tellMembers(tx, groupId, actor!.id);
    }
    await recordAudit(tx, {
      groupId,
      actorId: actor!.id,
      action: 'change_settings',
      reason:
        version === 0
          ? 'agreements removed'
          : askedAgain
            ? `agreements version ${version}: members asked to accept`
            : `agreements edited (version ${version})`,
    });
    return saved!;
  });
}

/**
 * Tells each member but the writer (banned ones aside) that the agreements changed: one statement
 * however big the group (createNotifications takes all the rows as one parameter).
 */
async function tellMembers(tx: DbOrTx, groupId: number, writerId: number): Promise<void> {
  const result = (await tx.execute(sql`
    select m.user_id from memberships m
    where m.group_id = ${groupId} and m.user_id <> ${writerId}
      and not exists (select 1 from bans b where b.group_id = m.group_id and b.user_id = m.user_id)`)) as unknown as {
    rows: { user_id: number | string }[];
  };
  await createNotifications(
    tx,
    result.rows.map((r) => ({ userId: Number(r.user_id), kind: 'agreements_changed' as const, groupId })),
  );
}

/**
 * Accepts the group's current agreements: a member asked to accept them again, or someone about
 * to pay to join. Anyone signed in and not banned from the group may.
 */
export async function acceptAgreements(db: Db, actor: Actor, slug: string): Promise<GroupAccess> {
  return db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    if (!actor) throw new Forbidden('groups.errors.logInFirst');
    if (access.banned) throw new Forbidden('groups.errors.banned');
    const { version } = standingOf(access);
    if (version > 0) await recordAcceptance(tx, access.group.id, actor.id, version);
    return access;
  });
}

/**
 * The version someone accepts on their way in (0 when the group asks nothing): refused, as a form
 * error, when the group has agreements and "I accept" was not ticked.
 */
export function tickedVersion(access: GroupAccess, accepted: boolean): number {
  const { version } = standingOf(access);
  if (version === 0 || !access.actor) return 0;
  if (!accepted) throw new Invalid({ acceptAgreements: 'agreements.errors.acceptToJoin' });
  return version;
}

/**
 * Every way into a group (joining, applying, accepting an invitation, asking for a fee waiver)
 * calls this inside its own transaction, before it writes: when the group has agreements, the
 * person must have ticked "I accept", and their acceptance is written with the membership or the
 * request. A card payment, whose membership begins when the provider confirms it, carries the
 * version instead (tickedVersion, then acceptCarried).
 */
export async function acceptOnEntry(tx: DbOrTx, access: GroupAccess, accepted: boolean): Promise<void> {
  const version = tickedVersion(access, accepted);
  if (version > 0) await recordAcceptance(tx, access.group.id, access.actor!.id, version);
}

/**
 * Writes an acceptance that travelled with a payment, in the transaction where the membership it
 * pays for begins. It counts for the version ticked, no later: after a change meanwhile the member
 * accepts again before posting. A newer acceptance of theirs is kept, and a version the group no
 * longer has (its agreements were emptied and written anew) counts for nothing.
 */
export async function acceptCarried(tx: DbOrTx, access: GroupAccess, version: number): Promise<void> {
  const standing = standingOf(access);
  if (!access.actor || version <= standing.accepted || version > standing.version) return;
  await recordAcceptance(tx, access.group.id, access.actor.id, version);
}

/**
 * The welcome from the group's leaders to someone who has just become a member, however they came
 * in: the notification shows the group's welcome message when it is read.
 */
export async function welcomeNewMember(tx: DbOrTx, groupId: number, userId: number): Promise<void> {
  await notify(tx, { userId, kind: 'group_welcome', groupId });
}

/** Whether this person has accepted this version of the group's agreements (for tests and the API). */
export async function acceptedVersion(db: DbOrTx, groupId: number, userId: number): Promise<number> {
  const [row] = await db
    .select({ version: agreementAcceptances.version })
    .from(agreementAcceptances)
    .where(and(eq(agreementAcceptances.groupId, groupId), eq(agreementAcceptances.userId, userId)));
  return row?.version ?? 0;
}
