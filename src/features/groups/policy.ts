import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import type { Viewer } from '../../platform/http/page.js';
import { groups, memberships, type Group, type GroupRole } from './schema.js';

export type Actor = Viewer | null;

/** A group as one person may see it, with that person's role in it (null when not a member). */
export interface GroupAccess {
  group: Group;
  role: GroupRole | null;
  actor: Actor;
}

/** Loads a group that anyone may know exists (every group has a public page). */
export async function accessGroup(db: DbOrTx, actor: Actor, slug: string): Promise<GroupAccess> {
  const [group] = await db.select().from(groups).where(eq(groups.slug, slug));
  if (!group) throw new NotFound();
  return { group, role: await roleOf(db, actor, group.id), actor };
}

export async function accessGroupById(db: DbOrTx, actor: Actor, groupId: number): Promise<GroupAccess> {
  const [group] = await db.select().from(groups).where(eq(groups.id, groupId));
  if (!group) throw new NotFound();
  return { group, role: await roleOf(db, actor, group.id), actor };
}

async function roleOf(db: DbOrTx, actor: Actor, groupId: number): Promise<GroupRole | null> {
  if (!actor) return null;
  const [m] = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.groupId, groupId), eq(memberships.userId, actor.id)));
  return m?.role ?? null;
}

/** Discussions of a public group are open to all; a members-only group's to members and site admins. */
export function canReadDiscussions(a: GroupAccess): boolean {
  if (a.group.visibility === 'public') return true;
  if (a.role !== null) return true;
  return a.actor?.isAdmin === true;
}

/** Starting threads, replying and reacting are for members. */
export function canTakePart(a: GroupAccess): boolean {
  return a.role !== null;
}

/** Hiding posts, locking and pinning threads, reading edit histories. */
export function canModerate(a: GroupAccess): boolean {
  if (a.role === 'owner' || a.role === 'moderator') return true;
  return a.actor?.isAdmin === true;
}

/** Appointing moderators and owners, editing the group's description. */
export function canManage(a: GroupAccess): boolean {
  if (a.role === 'owner') return true;
  return a.actor?.isAdmin === true;
}

export function assertCanReadDiscussions(a: GroupAccess): void {
  if (!canReadDiscussions(a)) throw new Forbidden('groups.errors.membersOnly');
}

export function assertCanTakePart(a: GroupAccess): void {
  if (!a.actor) throw new Forbidden('groups.errors.logInFirst');
  if (!canTakePart(a)) throw new Forbidden('groups.errors.joinFirst');
}

export function assertCanModerate(a: GroupAccess): void {
  if (!canModerate(a)) throw new Forbidden('groups.errors.notModerator');
}

export function assertCanManage(a: GroupAccess): void {
  if (!canManage(a)) throw new Forbidden('groups.errors.notOwner');
}
