import { and, count, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Bus } from '../../platform/bus/index.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { sendAfterCommit, type EventSink } from '../../platform/deps.js';
import { recheckLiveAccess } from '../../platform/live/hub.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { emailOf, verifiedEmailOf } from '../accounts/index.js';
import { acceptAgreementsField, acceptOnEntry, welcomeNewMember } from '../agreements/index.js';
import { findUserIdByName, keepNamesApart, memberNameSql, optionalAlias, writeAlias } from './aliases.js';
import { recordAudit } from './audit.js';
import { accessGroup, assertCanManage, assertCanModerate, canManage, type Actor, type GroupAccess } from './policy.js';
import { bans, groups, memberships, type Group, type GroupRole } from './schema.js';

/** Adds a member (if not one already) and keeps the group's member count right. */
export async function addMember(
  tx: DbOrTx,
  groupId: number,
  userId: number,
  role: GroupRole = 'member',
): Promise<boolean> {
  const inserted = await tx
    .insert(memberships)
    .values({ groupId, userId, role })
    .onConflictDoNothing()
    .returning({ userId: memberships.userId });
  if (inserted.length === 0) return false;
  await tx
    .update(groups)
    .set({ memberCount: sql`${groups.memberCount} + 1` })
    .where(eq(groups.id, groupId));
  await keepNamesApart(tx, groupId, userId);
  // However they came in, the group's leaders welcome them (src/features/agreements).
  await welcomeNewMember(tx, groupId, userId);
  return true;
}

/**
 * Someone became a member: for the group's webhooks (src/features/webhooks), sent once the
 * transaction that made them one has committed. Every way in sends it when addMember added them:
 * joining, an approved application, an accepted invitation, a payment, a granted waiver.
 */
export async function announceNewMember(events: EventSink | undefined, groupId: number, userId: number): Promise<void> {
  await sendAfterCommit(events, { type: 'member.joined', groupId, userId });
}

async function dropMember(tx: DbOrTx, groupId: number, userId: number): Promise<void> {
  const removed = await tx
    .delete(memberships)
    .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)))
    .returning({ userId: memberships.userId });
  if (removed.length === 0) return;
  await tx
    .update(groups)
    .set({ memberCount: sql`greatest(${groups.memberCount} - 1, 0)` })
    .where(eq(groups.id, groupId));
}

/**
 * Checks the rules every way into a group shares (joining, applying, accepting an invitation):
 * signed in, not banned, and with an email at the group's required domain when it names one.
 */
export async function assertMayEnter(db: DbOrTx, access: GroupAccess): Promise<void> {
  if (!access.actor) throw new Forbidden('groups.errors.logInFirst');
  if (access.banned) throw new Forbidden('groups.errors.banned');
  const domain = access.group.allowedEmailDomain;
  if (domain) {
    const email = await emailOf(db, access.actor.id);
    if (!email || !email.endsWith(`@${domain}`)) throw new Forbidden('groups.errors.wrongDomain');
    // Anyone can type an address at the domain: only a confirmed one counts.
    if (!(await verifiedEmailOf(db, access.actor.id))) throw new Forbidden('groups.errors.confirmEmailFirst');
  }
}

export const joinInput = z.object({ alias: optionalAlias, acceptAgreements: acceptAgreementsField });

/**
 * Joins an open group at once, under an alias when one is given. Other join policies have their
 * own way in (apply, invitation, payment).
 */
export async function joinGroup(
  db: Db,
  actor: Actor,
  slug: string,
  input: unknown = {},
  events?: EventSink,
): Promise<GroupAccess> {
  const { alias, acceptAgreements } = parseInput(joinInput, input ?? {});
  let joined = false;
  const access = await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    await assertMayEnter(tx, access);
    if (access.membership) return access;
    const policy = access.group.joinPolicy;
    if (policy === 'approval') throw new Forbidden('groups.errors.needsApproval');
    if (policy === 'invitation') throw new Forbidden('groups.errors.invitationOnly');
    if (policy === 'paid') throw new Forbidden('groups.errors.paidGroup');
    await acceptOnEntry(tx, access, acceptAgreements);
    // The name first: a person is never a member, even for a moment, under the pseudonym they hide.
    if (alias) await writeAlias(tx, access.group.id, actor!.id, alias);
    joined = await addMember(tx, access.group.id, actor!.id);
    return accessGroup(tx, actor, slug);
  });
  if (joined) await announceNewMember(events, access.group.id, actor!.id);
  return access;
}

export async function leaveGroup(db: Db, actor: Actor, slug: string): Promise<void> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    if (!access.membership) return;
    if (access.role === 'owner' && (await countOwners(tx, access.group.id)) <= 1) {
      throw new Invalid({ '': 'groups.errors.lastOwner' });
    }
    await dropMember(tx, access.group.id, actor.id);
  });
}

async function countOwners(db: DbOrTx, groupId: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.groupId, groupId), eq(memberships.role, 'owner')));
  return row?.n ?? 0;
}

const roleInput = z.object({ role: z.enum(['owner', 'facilitator', 'moderator', 'member'], 'groups.errors.role') });

/** A member named as the group knows them (their alias there, or their pseudonym if they have none). */
async function memberByName(tx: DbOrTx, group: Group, name: string) {
  const userId = await findUserIdByName(tx, group.id, name);
  if (userId === null) throw new NotFound();
  const [m] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.groupId, group.id), eq(memberships.userId, userId)));
  if (!m) throw new NotFound();
  return m;
}

/** The owner (or an organisation or site admin) appoints moderators, facilitators and co-owners. */
export async function setMemberRole(db: Db, actor: Actor, slug: string, name: string, input: unknown): Promise<void> {
  const { role } = parseInput(roleInput, input);
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanManage(access);
    if (role === 'facilitator' && access.group.leadership !== 'professional') {
      throw new Invalid({ '': 'groups.errors.facilitatorNeedsProfessional' });
    }
    const m = await memberByName(tx, access.group, name);
    if (m.role === role) return;
    if (m.role === 'owner' && (await countOwners(tx, access.group.id)) <= 1) {
      throw new Invalid({ '': 'groups.errors.lastOwner' });
    }
    await tx
      .update(memberships)
      .set({ role })
      .where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, m.userId)));
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor!.id,
      action: 'change_role',
      subjectUserId: m.userId,
      reason: `${m.role} → ${role}`,
    });
  });
}

const removalInput = z.object({
  reason: z.string().trim().min(3, 'groups.errors.reasonRequired').max(1000, 'groups.errors.reasonLength'),
  ban: z
    .union([z.literal('on'), z.literal('true'), z.literal(''), z.boolean()])
    .optional()
    .transform((v) => v === 'on' || v === 'true' || v === true),
});

/**
 * Moderators remove a member, with a reason; with a ban they cannot rejoin or apply again.
 * Leaders (owners, facilitators) can only be removed by those who manage the group.
 */
export async function removeMember(
  db: Db,
  actor: Actor,
  slug: string,
  name: string,
  input: unknown,
  effects: { bus?: Bus | undefined } = {},
): Promise<void> {
  const { reason, ban } = parseInput(removalInput, input);
  const removed = await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanModerate(access);
    const m = await memberByName(tx, access.group, name);
    await removeMemberById(tx, access, m.userId, reason, ban);
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor!.id,
      action: ban ? 'ban_member' : 'remove_member',
      subjectUserId: m.userId,
      reason,
    });
    return m.userId;
  });
  // Whatever they followed live in the group (a chat room) stops at once.
  await recheckLiveAccess(effects.bus, removed);
}

/**
 * Removes a member known by id (with `ban`, for good), inside the caller's transaction, by the
 * rules removing by name follows: not oneself, leaders only by those who manage the group, never
 * the last owner. Someone who has already left can still be banned. The caller audits.
 */
export async function removeMemberById(
  tx: DbOrTx,
  access: GroupAccess,
  userId: number,
  reason: string,
  ban: boolean,
): Promise<void> {
  assertCanModerate(access);
  if (userId === access.actor!.id) throw new Invalid({ '': 'groups.errors.removeSelf' });
  const [m] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.groupId, access.group.id), eq(memberships.userId, userId)));
  if (m && m.role !== 'member' && !canManage(access)) throw new Forbidden('groups.errors.notOwner');
  if (m?.role === 'owner' && (await countOwners(tx, access.group.id)) <= 1) {
    throw new Invalid({ '': 'groups.errors.lastOwner' });
  }
  if (m) await dropMember(tx, access.group.id, userId);
  if (ban) {
    await tx
      .insert(bans)
      .values({ groupId: access.group.id, userId, reason, bannedBy: access.actor!.id })
      .onConflictDoNothing();
  }
}

export async function unbanMember(db: Db, actor: Actor, slug: string, name: string): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanModerate(access);
    const userId = await findUserIdByName(tx, access.group.id, name);
    if (userId === null) throw new NotFound();
    // A ban on an anonymous post's author is lifted by the post, never by a name: a name that
    // lifted it would say who wrote the post.
    const removed = await tx
      .delete(bans)
      .where(and(eq(bans.groupId, access.group.id), eq(bans.userId, userId), isNull(bans.anonymousPostId)))
      .returning({ userId: bans.userId });
    if (removed.length === 0) throw new NotFound();
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor!.id,
      action: 'unban_member',
      subjectUserId: userId,
    });
  });
}

export interface BanRow {
  /** The person's name in the group; null for the author of an anonymous post, who stays unnamed. */
  name: string | null;
  /** The anonymous post whose author this ban shuts out. */
  anonymousPostId: number | null;
  reason: string;
  createdAt: Date;
}

export async function listBans(db: Db, access: GroupAccess): Promise<BanRow[]> {
  assertCanModerate(access);
  const rows = await db
    .select({
      name: sql<
        string | null
      >`case when bans.anonymous_post_id is null then ${memberNameSql(sql.raw('bans.group_id'), sql.raw('bans.user_id'))} end`,
      anonymousPostId: bans.anonymousPostId,
      reason: bans.reason,
      createdAt: bans.createdAt,
    })
    .from(bans)
    .where(eq(bans.groupId, access.group.id))
    .orderBy(bans.createdAt);
  return rows.map((r) => ({ ...r, name: r.anonymousPostId === null ? (r.name ?? '') : null }));
}

/**
 * Moderators shut out the author of an anonymous post without learning who they are. Their
 * membership stays (the member list would otherwise change and show who it was); the ban takes
 * away every part they had in the group until a moderator lifts it by the post. The forum, which
 * knows the author, calls this inside its transaction.
 */
export async function banAnonymousAuthor(
  tx: DbOrTx,
  access: GroupAccess,
  author: number,
  postId: number,
  reason: string,
): Promise<void> {
  assertCanModerate(access);
  if (author === access.actor!.id) throw new Invalid({ '': 'groups.errors.removeSelf' });
  await tx
    .insert(bans)
    .values({ groupId: access.group.id, userId: author, reason, bannedBy: access.actor!.id, anonymousPostId: postId })
    .onConflictDoNothing();
  await recordAudit(tx, {
    groupId: access.group.id,
    actorId: access.actor!.id,
    action: 'ban_anonymous_author',
    postId,
    reason,
  });
}

const postIdInput = z.coerce.number().int().positive().max(2_147_483_647);

/** Lifts a ban on an anonymous post's author, named by the post (its id as the URL gives it). */
export async function liftAnonymousBan(db: Db, actor: Actor, slug: string, post: unknown): Promise<void> {
  await db.transaction(async (tx) => {
    const access = await accessGroup(tx, actor, slug);
    assertCanModerate(access);
    const parsed = postIdInput.safeParse(post);
    if (!parsed.success) throw new NotFound();
    const postId = parsed.data;
    const removed = await tx
      .delete(bans)
      .where(and(eq(bans.groupId, access.group.id), eq(bans.anonymousPostId, postId)))
      .returning({ userId: bans.userId });
    if (removed.length === 0) throw new NotFound();
    await recordAudit(tx, {
      groupId: access.group.id,
      actorId: actor!.id,
      action: 'unban_anonymous_author',
      postId,
    });
  });
}

/**
 * Paid groups: makes someone a member whose access runs to `paidUntil` (the payments feature
 * calls this when a payment is recorded or confirmed). Returns whether they were newly added.
 */
export async function grantPaidAccess(tx: DbOrTx, groupId: number, userId: number, paidUntil: Date): Promise<boolean> {
  const added = await addMember(tx, groupId, userId);
  await tx
    .update(memberships)
    .set({ paidUntil: sql`greatest(coalesce(${memberships.paidUntil}, ${paidUntil}), ${paidUntil})` })
    .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)));
  return added;
}

/**
 * Paid groups: a hardship waiver means no fee is due; the member keeps full access. Returns
 * whether granting it made them a member.
 */
export async function setFeeWaived(tx: DbOrTx, groupId: number, userId: number, waived: boolean): Promise<boolean> {
  const added = waived ? await addMember(tx, groupId, userId) : false;
  await tx
    .update(memberships)
    .set({ feeWaived: waived })
    .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, userId)));
  return added;
}

/** Paid groups: sets the fee (amounts in the currency's minor unit); null amount makes the group free. */
export async function setGroupFees(
  tx: DbOrTx,
  groupId: number,
  fees: {
    amountCents: number | null;
    minimumCents: number | null;
    currency: string;
    interval: 'once' | 'month' | 'year' | null;
  },
): Promise<void> {
  await tx
    .update(groups)
    .set({
      feeAmountCents: fees.amountCents,
      feeMinimumCents: fees.minimumCents,
      feeCurrency: fees.currency,
      feeInterval: fees.interval,
    })
    .where(eq(groups.id, groupId));
}

/**
 * Paid groups: members (not leaders, not waived) whose paid period ended before `now`, or who
 * never paid; earliest first. The payments feature shows them as in grace or lapsed.
 */
/**
 * For another feature's query (the treasurer's page): members whose paid period ended before
 * `now`, as a JSON array of { pseudonym, paidUntil }, longest overdue first. Leaders and members
 * with a waiver owe nothing and are left out.
 */
export function membersPaidBeforeSql(
  groupId: number,
  now: Date,
): SQL<{ pseudonym: string | null; paidUntil: string | null }[]> {
  return sql`(select coalesce(json_agg(json_build_object('pseudonym', ${memberNameSql(sql.raw('m.group_id'), sql.raw('m.user_id'))},
      'paidUntil', m.paid_until) order by m.paid_until nulls first), '[]'::json)
    from memberships m where m.group_id = ${groupId} and m.role = 'member' and not m.fee_waived
      and (m.paid_until is null or m.paid_until < ${now}))`;
}
