import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import type { Viewer } from '../../platform/http/page.js';
import { secondFactorFirst } from '../accounts/index.js';
import { agreementStandingSql, type AgreementStanding } from '../agreements/index.js';
import { silencedUntilSql } from '../moderation/index.js';
import { isOrganisationAdminSql, organisationSummarySql } from '../organisations/index.js';
import { groups, memberships, type Group, type GroupRole, type Membership } from './schema.js';

export type Actor = Viewer | null;

/** Members of a paid group keep access this long after their paid period ends, as card retries take that long. */
export const GRACE_DAYS = 7;

/**
 * A group as one person may see it: their membership (null when not a member), whether they are
 * banned, and whether they administer the organisation that runs the group.
 */
export interface GroupAccess {
  group: Group;
  membership: Membership | null;
  /** The member's role, or null for non-members. A lapsed member keeps the role but not access. */
  role: GroupRole | null;
  banned: boolean;
  /** The person has applied and is waiting for a decision (groups that approve members). */
  applying: boolean;
  /** The name the person chose to go by in this group, or null (their pseudonym shows). */
  alias: string | null;
  orgAdmin: boolean;
  /** The organisation that runs the group, if one does. */
  organisation: { slug: string; name: string } | null;
  /** A moderator paused the person from posting here until then (src/features/moderation); null when not. */
  silencedUntil: Date | null;
  /** The group's agreements version and the one this person accepted (src/features/agreements); absent when built by hand. */
  agreements?: AgreementStanding;
  actor: Actor;
}

/** Loads a group anyone may reach by its address (unlisted groups too: "only by link"). */
export async function accessGroup(db: DbOrTx, actor: Actor, slug: string): Promise<GroupAccess> {
  return loadAccess(db, actor, eq(groups.slug, slug));
}

/**
 * Loads a group by its id, or by a subquery that finds it (`(select group_id from threads where
 * id = …)`), so that a feature can ask for a thing and its group's access at the same time.
 */
export async function accessGroupById(db: DbOrTx, actor: Actor, groupId: number | SQL): Promise<GroupAccess> {
  return loadAccess(db, actor, eq(groups.id, groupId));
}

const groupOrganisation = sql.raw('groups.organisation_id');

/**
 * The group and this person's standing in it (membership, ban, pending application, the
 * organisation that runs it and whether they administer it) in one query.
 */
async function loadAccess(db: DbOrTx, actor: Actor, which: SQL): Promise<GroupAccess> {
  const [found] = await loadAccesses(db, actor, which);
  if (!found) throw new NotFound();
  return found;
}

/**
 * The groups a person belongs to (a membership of any standing) or runs through an organisation,
 * each as they may see it, in one query: for searches across "my groups" (forum/search.ts), which
 * then ask the same policy functions as a single group's pages.
 */
export async function accessOwnGroups(db: DbOrTx, actor: Actor): Promise<GroupAccess[]> {
  if (!actor) return [];
  return loadAccesses(
    db,
    actor,
    // A union of ids, not "exists … or exists …" per group, so that it reads no more than the
    // person's memberships and their organisations' groups, however many groups the site has.
    sql`groups.id in (select m.group_id from memberships m where m.user_id = ${actor.id}
      union select g2.id from groups g2 where g2.organisation_id in (select o.id from organisations o
        where ${isOrganisationAdminSql(sql.raw('o.id'), actor.id)}))`,
  );
}

async function loadAccesses(db: DbOrTx, actor: Actor, which: SQL): Promise<GroupAccess[]> {
  const viewerId = actor?.id ?? -1;
  const rows = await db
    .select({
      group: groups,
      membership: memberships,
      // Written out with aliases: Drizzle may leave columns in select fields unqualified.
      banned: sql<boolean>`exists (select 1 from bans b where b.group_id = groups.id and b.user_id = ${viewerId})`,
      applying: sql<boolean>`exists (select 1 from applications a where a.group_id = groups.id
        and a.user_id = ${viewerId} and a.status = 'pending')`,
      alias: sql<string | null>`(select ga.alias from group_aliases ga where ga.group_id = groups.id
        and ga.user_id = ${viewerId})`,
      organisation: organisationSummarySql(groupOrganisation),
      orgAdmin: isOrganisationAdminSql(groupOrganisation, viewerId),
      silencedUntil: silencedUntilSql(sql.raw('groups.id'), viewerId),
      agreements: agreementStandingSql(sql.raw('groups.id'), viewerId),
    })
    .from(groups)
    .leftJoin(memberships, and(eq(memberships.groupId, groups.id), eq(memberships.userId, viewerId)))
    .where(which);
  return rows.map((row) => accessOf(row, actor));
}

function accessOf(
  row: {
    group: Group;
    membership: Membership | null;
    banned: boolean;
    applying: boolean;
    alias: string | null;
    organisation: { slug: string; name: string } | null;
    orgAdmin: boolean;
    silencedUntil: string | Date | null;
    agreements: AgreementStanding | null;
  },
  actor: Actor,
): GroupAccess {
  const { group, membership } = row;
  return {
    group,
    membership,
    // Someone banned as the author of an anonymous post keeps their membership row (so the member
    // list does not give them away) but no role's powers while the ban lasts.
    role: row.banned ? null : (membership?.role ?? null),
    banned: row.banned,
    applying: row.applying && !membership,
    alias: row.alias,
    orgAdmin: row.orgAdmin,
    organisation: row.organisation,
    silencedUntil: row.silencedUntil === null ? null : new Date(row.silencedUntil),
    agreements: {
      version: Number(row.agreements?.version ?? 0),
      accepted: Number(row.agreements?.accepted ?? 0),
    },
    actor,
  };
}

/**
 * Site admins, organisation admins and facilitators hold their powers only once two-step
 * verification is on: they see what members share in confidence, so their accounts must be hard to take.
 */
const secondFactorOn = (a: GroupAccess) => a.actor?.secondFactor === true;
const isSiteAdmin = (a: GroupAccess) => a.actor?.isAdmin === true && secondFactorOn(a);
const isOrgAdmin = (a: GroupAccess) => a.orgAdmin && secondFactorOn(a);
const isFacilitator = (a: GroupAccess) => a.role === 'facilitator' && secondFactorOn(a);

/** Someone who would lead this group once they turn on two-step verification. */
export function awaitsSecondFactor(a: GroupAccess): boolean {
  if (!a.actor || secondFactorOn(a)) return false;
  return a.actor.isAdmin || a.orgAdmin || a.role === 'facilitator';
}

/** The refusal for something a person could do once two-step verification is on, or the usual one. */
function refusal(a: GroupAccess, allowed: (a: GroupAccess) => boolean, reason: string): Forbidden {
  if (awaitsSecondFactor(a) && allowed({ ...a, actor: { ...a.actor!, secondFactor: true } })) {
    return secondFactorFirst();
  }
  return new Forbidden(reason);
}

/** A paid group's member whose payment ran out more than the grace period ago. */
export function isLapsed(a: GroupAccess, now = new Date()): boolean {
  const m = a.membership;
  if (!m || a.group.joinPolicy !== 'paid' || m.feeWaived) return false;
  if (m.role !== 'member') return false;
  if (!m.paidUntil) return true;
  return m.paidUntil.getTime() + GRACE_DAYS * 24 * 3600 * 1000 < now.getTime();
}

/** A member in good standing: joined, not lapsed. */
export function isActiveMember(a: GroupAccess): boolean {
  return a.membership !== null && !a.banned && !isLapsed(a);
}

/**
 * isActiveMember as SQL, for work that looks at many people at once (meeting reminders, calendar
 * feeds): the person holds a membership of the group, is not banned there, and is not a paid
 * group's member whose payment ran out more than GRACE_DAYS ago.
 */
export function activeMemberSql(groupId: SQL, userId: SQL, now: Date): SQL<boolean> {
  return sql<boolean>`exists (select 1 from memberships am join groups ag on ag.id = am.group_id
    where am.group_id = ${groupId} and am.user_id = ${userId}
      and not exists (select 1 from bans ab where ab.group_id = am.group_id and ab.user_id = am.user_id)
      and not (ag.join_policy = 'paid' and am.role = 'member' and not am.fee_waived
        and (am.paid_until is null
          or am.paid_until + ${GRACE_DAYS * 24} * interval '1 hour' < ${now.toISOString()}::timestamptz)))`;
}

/** Owners, facilitators, organisation admins and site admins: the people who lead a group. */
export function isLeader(a: GroupAccess): boolean {
  if (a.role === 'owner' || isFacilitator(a)) return true;
  return isOrgAdmin(a) || isSiteAdmin(a);
}

/** Public discussions are open to all; a members-only group's to members in good standing and leaders. */
export function canReadDiscussions(a: GroupAccess): boolean {
  if (a.group.visibility === 'public') return true;
  return isActiveMember(a) || canModerate(a);
}

/** Starting threads, replying and reacting: members in good standing (leaders even when closed). */
export function canTakePart(a: GroupAccess): boolean {
  if (!isActiveMember(a) || a.banned) return false;
  if (a.group.closedToPosts && !canModerate(a)) return false;
  return true;
}

/** Hiding posts, locking and pinning threads, reviewing applications and pre-moderated posts. */
export function canModerate(a: GroupAccess): boolean {
  if (a.role === 'owner' || a.role === 'moderator' || isFacilitator(a)) return true;
  return isOrgAdmin(a) || isSiteAdmin(a);
}

/** Appointing moderators, facilitators and owners; editing the group's settings; granting waivers. */
export function canManage(a: GroupAccess): boolean {
  if (a.role === 'owner') return true;
  return isOrgAdmin(a) || isSiteAdmin(a);
}

/** Verifying a facilitator's credential is for the organisation's admins and site admins only. */
export function canVerifyCredentials(a: GroupAccess): boolean {
  return isOrgAdmin(a) || isSiteAdmin(a);
}

/** Facilitator notes and the audit log are for the group's leaders. */
export function canReadLeadersRecords(a: GroupAccess): boolean {
  return isLeader(a);
}

/** Seeing who is in a group: members in good standing and those who moderate it. */
export function canSeeMembers(a: GroupAccess): boolean {
  return isActiveMember(a) || canModerate(a);
}

/** Posting as "Anonymous member": in groups whose owner allows it, for whoever may post there. */
export function canPostAnonymously(a: GroupAccess): boolean {
  return a.group.anonymousPosts && canTakePart(a);
}

/**
 * Uncovering who wrote an anonymous post: site administrators, and the group's facilitators when
 * the post was written under a policy that said they may (`facilitatorsMayReveal`, fixed when it
 * was posted, as members were told then).
 */
export function canRevealAuthor(a: GroupAccess, facilitatorsMayReveal: boolean): boolean {
  return isSiteAdmin(a) || (facilitatorsMayReveal && isFacilitator(a));
}

export function assertCanRevealAuthor(a: GroupAccess, facilitatorsMayReveal: boolean): void {
  const allowed = (x: GroupAccess) => canRevealAuthor(x, facilitatorsMayReveal);
  if (!allowed(a)) throw refusal(a, allowed, 'forum.errors.cannotReveal');
}

/** Members skip pre-moderation when they lead or moderate the group. */
export function needsPreModeration(a: GroupAccess): boolean {
  return a.group.preModeration && !canModerate(a);
}

export function assertCanReadDiscussions(a: GroupAccess): void {
  if (!canReadDiscussions(a))
    throw refusal(a, canReadDiscussions, a.membership ? 'groups.errors.lapsed' : 'groups.errors.membersOnly');
}

export function assertCanTakePart(a: GroupAccess): void {
  if (!a.actor) throw new Forbidden('groups.errors.logInFirst');
  if (a.banned) throw new Forbidden('groups.errors.banned');
  if (!a.membership) throw new Forbidden('groups.errors.joinFirst');
  if (isLapsed(a)) throw new Forbidden('groups.errors.lapsed');
  if (!canTakePart(a)) throw new Forbidden('groups.errors.closed');
}

export function assertCanModerate(a: GroupAccess): void {
  if (!canModerate(a)) throw refusal(a, canModerate, 'groups.errors.notModerator');
}

export function assertCanManage(a: GroupAccess): void {
  if (!canManage(a)) throw refusal(a, canManage, 'groups.errors.notOwner');
}

export function assertCanSeeMembers(a: GroupAccess): void {
  if (!canSeeMembers(a)) throw refusal(a, canSeeMembers, 'groups.errors.joinFirst');
}

export function assertCanVerifyCredentials(a: GroupAccess): void {
  if (!canVerifyCredentials(a)) throw refusal(a, canVerifyCredentials, 'groups.errors.cannotVerify');
}

export function assertIsLeader(a: GroupAccess): void {
  if (!isLeader(a)) throw refusal(a, isLeader, 'groups.errors.notLeader');
}
