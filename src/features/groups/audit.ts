import { and, desc, eq, notInArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { pseudonymsByIds } from '../accounts/index.js';
import { assertIsLeader, canManage, type GroupAccess } from './policy.js';
import { auditLog } from './schema.js';

export type AuditAction =
  | 'approve_application'
  | 'decline_application'
  | 'remove_member'
  | 'ban_member'
  | 'unban_member'
  | 'change_role'
  | 'verify_credential'
  | 'approve_post'
  | 'reject_post'
  | 'hide_post'
  | 'restore_post'
  | 'lock_thread'
  | 'unlock_thread'
  | 'pin_thread'
  | 'unpin_thread'
  | 'create_invitation'
  | 'revoke_invitation'
  | 'change_settings'
  | 'record_payment'
  | 'grant_waiver'
  | 'decline_waiver';

const paymentActions: AuditAction[] = ['record_payment', 'grant_waiver', 'decline_waiver'];

export interface AuditEntry {
  groupId: number;
  actorId: number | null;
  action: AuditAction;
  subjectUserId?: number | null;
  threadId?: number | null;
  postId?: number | null;
  reason?: string | null;
}

/** Writes one audit entry; call it inside the transaction of the action it records. */
export async function recordAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(entry);
}

export interface AuditRow {
  id: number;
  action: AuditAction;
  actor: string | null;
  subject: string | null;
  threadId: number | null;
  postId: number | null;
  reason: string | null;
  createdAt: Date;
}

/** The group's audit log, newest first: for its leaders. */
export async function readAudit(db: Db, access: GroupAccess, limit = 200): Promise<AuditRow[]> {
  assertIsLeader(access);
  // Who paid and who was granted a waiver is for those who manage the group's money, not every facilitator.
  const money = canManage(access) ? undefined : notInArray(auditLog.action, paymentActions);
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.groupId, access.group.id), money))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit);
  const names = await pseudonymsByIds(
    db,
    rows.flatMap((r) => [r.actorId, r.subjectUserId]),
  );
  return rows.map((r) => ({
    id: r.id,
    action: r.action as AuditAction,
    actor: r.actorId === null ? null : (names.get(r.actorId) ?? null),
    subject: r.subjectUserId === null ? null : (names.get(r.subjectUserId) ?? null),
    threadId: r.threadId,
    postId: r.postId,
    reason: r.reason,
    createdAt: r.createdAt,
  }));
}
