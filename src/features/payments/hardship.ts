import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import type { EventSink } from '../../platform/deps.js';
import { Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { acceptAgreementsField, acceptOnEntry } from '../agreements/index.js';
import {
  accessGroup,
  announceNewMember,
  assertCanManage,
  recordAudit,
  setFeeWaived,
  type Actor,
} from '../groups/index.js';
import { feeOf } from './fees.js';
import { assertMayPay, assertPayerMayEnter, mayPay, payerAccess, standingOf } from './policy.js';
import { hardshipRequests, type HardshipRequest } from './schema.js';

const waiverInput = z.object({
  message: z
    .string('payments.errors.messageLength')
    .trim()
    .min(10, 'payments.errors.messageLength')
    .max(2000, 'payments.errors.messageLength'),
  acceptAgreements: acceptAgreementsField,
});

/**
 * Someone who cannot afford the fee asks the group's owner to waive it, in their own words.
 * One request is open at a time: asking again while one waits changes nothing. Someone asking to
 * come in accepts the group's agreements with the request, as an applicant does with theirs.
 */
export async function requestWaiver(db: Db, actor: Actor, slug: string, input: unknown): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    await assertMayPay(tx, access);
    if (!mayPay(standingOf(access), feeOf(access.group)?.interval ?? 'once')) {
      throw new Invalid({ '': 'payments.errors.noFeeDue' });
    }
    const { message, acceptAgreements } = parseInput(waiverInput, input);
    // Granted later, it counts at the version accepted now; after a change meanwhile they accept again before posting.
    if (!access.membership) await acceptOnEntry(tx, access, acceptAgreements);
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
 * The people who manage the group grant a waiver (the person becomes a member with no fee due,
 * welcomed as every new member is) or decline it. Both are audited; the request's words stay out
 * of the audit log.
 */
export async function decideWaiver(
  db: Db,
  actor: Actor,
  slug: string,
  requestId: number,
  decision: WaiverDecision,
  events?: EventSink,
): Promise<void> {
  const joined = await db.transaction(async (tx) => {
    let newMember: { groupId: number; userId: number } | null = null;
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
      if (await setFeeWaived(tx, access.group.id, request.userId, true))
        newMember = { groupId: access.group.id, userId: request.userId };
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
    return newMember;
  });
  if (joined) await announceNewMember(events, joined.groupId, joined.userId);
}

export interface WaiverRequestRow {
  id: number;
  pseudonym: string;
  message: string;
  createdAt: Date;
}
