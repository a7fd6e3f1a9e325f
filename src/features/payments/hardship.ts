import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { accessGroup, assertCanManage, recordAudit, setFeeWaived, type Actor } from '../groups/index.js';
import { feeOf } from './fees.js';
import { assertMayPay, assertPayerMayEnter, mayPay, payerAccess, standingOf } from './policy.js';
import { hardshipRequests, type HardshipRequest } from './schema.js';

const waiverInput = z.object({
  message: z
    .string('payments.errors.messageLength')
    .trim()
    .min(10, 'payments.errors.messageLength')
    .max(2000, 'payments.errors.messageLength'),
});

/**
 * Someone who cannot afford the fee asks the group's owner to waive it, in their own words.
 * One request is open at a time: asking again while one waits changes nothing.
 */
export async function requestWaiver(db: Db, actor: Actor, slug: string, input: unknown): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    await assertMayPay(tx, access);
    if (!mayPay(standingOf(access), feeOf(access.group)?.interval ?? 'once')) {
      throw new Invalid({ '': 'payments.errors.noFeeDue' });
    }
    const { message } = parseInput(waiverInput, input);
    await tx
      .insert(hardshipRequests)
      .values({ groupId: access.group.id, userId: actor!.id, message })
      .onConflictDoNothing();
  });
}

/** Someone's latest request to a group, to tell them where it stands. */
export async function latestWaiverRequest(
  db: DbOrTx,
  groupId: number,
  userId: number,
): Promise<HardshipRequest | null> {
  const [row] = await db
    .select()
    .from(hardshipRequests)
    .where(and(eq(hardshipRequests.groupId, groupId), eq(hardshipRequests.userId, userId)))
    .orderBy(desc(hardshipRequests.createdAt), desc(hardshipRequests.id))
    .limit(1);
  return row ?? null;
}

export type WaiverDecision = 'grant' | 'decline';

/**
 * The people who manage the group grant a waiver (the person becomes a member with no fee due)
 * or decline it. Both are audited; the request's words stay out of the audit log.
 */
export async function decideWaiver(
  db: Db,
  actor: Actor,
  slug: string,
  requestId: number,
  decision: WaiverDecision,
): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanManage(access);
    const [request] = await tx
      .select()
      .from(hardshipRequests)
      .where(
        and(
          eq(hardshipRequests.id, requestId),
          eq(hardshipRequests.groupId, access.group.id),
          eq(hardshipRequests.status, 'pending'),
        ),
      );
    if (!request) throw new NotFound();
    if (decision === 'grant') {
      await assertPayerMayEnter(tx, await payerAccess(tx, access.group.id, request.userId), '');
      await setFeeWaived(tx, access.group.id, request.userId, true);
    }
    await tx
      .update(hardshipRequests)
      .set({ status: decision === 'grant' ? 'granted' : 'declined', decidedBy: actor!.id, decidedAt: new Date() })
      .where(eq(hardshipRequests.id, request.id));
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor!.id,
      action: decision === 'grant' ? 'grant_waiver' : 'decline_waiver',
      subjectUserId: request.userId,
    });
  });
}

export interface WaiverRequestRow {
  id: number;
  pseudonym: string;
  message: string;
  createdAt: Date;
}
