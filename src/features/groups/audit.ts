import { and, desc, eq, notInArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { memberNameSql } from './aliases.js';
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
  | 'decline_waiver'
  | 'reveal_author'
  | 'ban_anonymous_author'
  | 'unban_anonymous_author'
  | 'set_content_warning'
  | 'auto_hide_post'
  | 'dismiss_flags'
  | 'delete_post'
  | 'warn_author'
  | 'silence_author'
  | 'lift_silence'
  | 'remove_author'
  | 'resolve_crisis_alert'
  | 'send_check_in'
  | 'send_newsletter'
  | 'schedule_newsletter'
  | 'cancel_newsletter'
  | 'approve_resource'
  | 'decline_resource'
  | 'edit_resource'
  | 'delete_resource'
  | 'review_resource'
  | 'vouch_resource'
  | 'publish_campaign'
  | 'close_campaign'
  | 'cancel_meeting'
  | 'cancel_meeting_date'
  | 'move_meeting_date'
  | 'pause_chat'
  | 'resume_chat'
  | 'end_meeting'
  | 'remove_chat_message'
  | 'mute_participant'
  | 'unmute_participant'
  | 'remove_participant'
  | 'close_poll'
  | 'schedule_poll_meeting'
  | 'open_circle'
  | 'admit_circle_participant'
  | 'remove_circle_participant'
  | 'mute_circle_participant'
  | 'mute_all_in_circle'
  | 'allow_unmute'
  | 'lock_circle'
  | 'unlock_circle'
  | 'end_circle'
  | 'set_circle_mode'
  | 'pass_stick'
  | 'set_share_timer';

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
  // People are named as the group knows them: by their alias there, if they have one.
  const group = sql.raw('audit_log.group_id');
  const rows = await db
    .select({
      id: auditLog.id,
      action: auditLog.action,
      actor: memberNameSql(group, sql.raw('audit_log.actor_id')),
      subject: memberNameSql(group, sql.raw('audit_log.subject_user_id')),
      threadId: auditLog.threadId,
      postId: auditLog.postId,
      reason: auditLog.reason,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .where(and(eq(auditLog.groupId, access.group.id), money))
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, action: r.action as AuditAction }));
}
