import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { applications, auditLog, groupAliases, groups, invitations, memberships } from './schema.js';

/** A member's groups, for their data export and for deleting their account. */

export interface GroupsExport {
  memberships: { groupId: number; role: string; joinedAt: Date; credential: string | null }[];
  /** The names the person chose to go by in groups. */
  aliases: { groupId: number; alias: string; createdAt: Date }[];
  applications: {
    groupId: number;
    questions: string[];
    answers: string[];
    status: string;
    decisionMessage: string | null;
    createdAt: Date;
  }[];
}

export async function exportGroupData(db: DbOrTx, userId: number): Promise<GroupsExport> {
  const [joined, applied, aliases] = await Promise.all([
    db
      .select({
        groupId: memberships.groupId,
        role: memberships.role,
        joinedAt: memberships.joinedAt,
        credential: memberships.credential,
      })
      .from(memberships)
      .where(eq(memberships.userId, userId))
      .orderBy(asc(memberships.joinedAt)),
    db
      .select({
        groupId: applications.groupId,
        questions: applications.questions,
        answers: applications.answers,
        status: applications.status,
        decisionMessage: applications.decisionMessage,
        createdAt: applications.createdAt,
      })
      .from(applications)
      .where(eq(applications.userId, userId))
      .orderBy(asc(applications.createdAt)),
    db
      .select({ groupId: groupAliases.groupId, alias: groupAliases.alias, createdAt: groupAliases.createdAt })
      .from(groupAliases)
      .where(eq(groupAliases.userId, userId))
      .orderBy(asc(groupAliases.createdAt)),
  ]);
  return { memberships: joined, applications: applied, aliases };
}

/** Group names by id, for a member's own export (they belonged to, applied to, or wrote in them). */
export async function groupNamesByIds(db: DbOrTx, ids: Iterable<number>): Promise<Map<number, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: groups.id, name: groups.name }).from(groups).where(inArray(groups.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * Takes a departing account out of every group, keeping member counts right, and forgets
 * invitations that were emailed to its address. Applications, bans and notes about the person go
 * with the account itself; audit entries stay, without the name.
 */
export async function forgetGroupMember(
  tx: DbOrTx,
  person: { userId: number; email: string; pseudonym: string },
): Promise<void> {
  const { userId, email, pseudonym } = person;
  const left = await tx
    .delete(memberships)
    .where(eq(memberships.userId, userId))
    .returning({ groupId: memberships.groupId });
  if (left.length > 0) {
    await tx
      .update(groups)
      .set({ memberCount: sql`greatest(${groups.memberCount} - 1, 0)` })
      .where(
        inArray(
          groups.id,
          left.map((l) => l.groupId),
        ),
      );
  }
  await tx.delete(invitations).where(eq(invitations.email, email));
  // Audit entries keep what was done and when, not who to: a credential or a message to the
  // applicant says too much, and the name goes wherever a leader wrote it into a reason.
  await tx
    .update(auditLog)
    .set({ reason: null })
    .where(
      and(
        eq(auditLog.subjectUserId, userId),
        inArray(auditLog.action, ['verify_credential', 'approve_application', 'decline_application']),
      ),
    );
  // Their aliases too, each only where it was used: in its own group's log.
  const aliases = await tx
    .select({ groupId: groupAliases.groupId, alias: groupAliases.alias })
    .from(groupAliases)
    .where(eq(groupAliases.userId, userId));
  for (const { name, groupId } of [
    { name: pseudonym, groupId: null },
    ...aliases.map((a) => ({ name: a.alias, groupId: a.groupId })),
  ]) {
    const pattern = name.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    await tx
      .update(auditLog)
      .set({ reason: sql`regexp_replace(${auditLog.reason}, ${pattern}, '…', 'gi')` })
      .where(
        and(
          groupId === null ? undefined : eq(auditLog.groupId, groupId),
          sql`${auditLog.reason} ilike ${'%' + name.replace(/[\\%_]/g, '\\$&') + '%'}`,
        ),
      );
  }
}
