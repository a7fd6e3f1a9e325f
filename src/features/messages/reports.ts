import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../platform/db/client.js';
import { Forbidden, Invalid, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import type { Viewer } from '../../platform/http/page.js';
import { assertSiteAdmin } from '../accounts/index.js';
import { accessGroupById, groupSummarySql, memberNameSql, type Actor } from '../groups/index.js';
import { silenceDays, silenceMember } from '../moderation/index.js';
import { assertMayReport } from './policy.js';
import { conversationMembers, conversationReportMessages, conversationReports, privateMessages } from './schema.js';

/*
 * Reporting a conversation. A member chooses which of its messages to report, and why; the site's
 * moderators (site administrators, with two-step verification on) see those messages and nothing
 * else of the conversation: not the others, not who else is in it, not who reported it. They may
 * remove the messages and pause their author from posting and writing in the group.
 */

export const reportReasons = ['harassment', 'spam', 'harmful', 'danger', 'other'] as const;
export type ReportReason = (typeof reportReasons)[number];

/** The messages chosen: one checkbox comes as a string, several as a list. */
const messageIds = z.preprocess(
  (v) => (v === undefined || v === '' ? [] : [v].flat()),
  z
    .array(z.coerce.number('messages.errors.chooseMessages').int().positive().max(Number.MAX_SAFE_INTEGER))
    .min(1, 'messages.errors.chooseMessages')
    .max(200, 'messages.errors.chooseMessages'),
);

export const reportInput = z
  .object({
    messages: messageIds,
    reason: z.enum(reportReasons, 'messages.errors.reportReason'),
    details: z.string().trim().max(500, 'messages.errors.detailsLength').optional(),
  })
  .refine((r) => r.reason !== 'other' || (r.details ?? '').length >= 3, {
    path: ['details'],
    message: 'messages.errors.detailsRequired',
  });

/**
 * The report's `reason` column holds the reason chosen, then (after a line break) what the member
 * added in their own words, if anything.
 */
function reasonText(reason: ReportReason, details: string | undefined): string {
  return details ? `${reason}\n${details}` : reason;
}

export function readReason(text: string): { reason: ReportReason; details: string | null } {
  const at = text.indexOf('\n');
  const key = at < 0 ? text : text.slice(0, at);
  const reason = reportReasons.find((r) => r === key) ?? 'other';
  return { reason, details: at < 0 ? null : text.slice(at + 1) };
}

/**
 * A member reports messages of a conversation they are in (or were asked to join): messages by
 * others, which they can see, not already removed.
 */
export async function reportConversation(
  db: Db,
  actor: Actor,
  conversationId: number,
  input: unknown,
): Promise<number> {
  if (!actor) throw new Forbidden('groups.errors.logInFirst');
  const data = parseInput(reportInput, input);
  return db.transaction(async (tx) => {
    const [me] = await tx
      .select({ status: conversationMembers.status })
      .from(conversationMembers)
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, actor.id)));
    assertMayReport(me ? { mine: me.status } : null);
    const ids = [...new Set(data.messages)];
    const found = await tx
      .select({ id: privateMessages.id, authorId: privateMessages.authorId })
      .from(privateMessages)
      .where(
        and(
          eq(privateMessages.conversationId, conversationId),
          inArray(privateMessages.id, ids),
          isNull(privateMessages.removedAt),
        ),
      );
    // Someone asked to join sees only the first message, so only it is theirs to report.
    const [first] =
      me!.status === 'requested'
        ? await tx
            .select({ id: sql<number>`min(${privateMessages.id})` })
            .from(privateMessages)
            .where(eq(privateMessages.conversationId, conversationId))
        : [];
    const unseen = first !== undefined && ids.some((id) => id !== Number(first.id));
    if (unseen || found.length !== ids.length || found.some((m) => m.authorId === actor.id)) {
      throw new Invalid({ messages: 'messages.errors.chooseMessages' });
    }
    const [report] = await tx
      .insert(conversationReports)
      .values({ conversationId, reporterId: actor.id, reason: reasonText(data.reason, data.details) })
      .returning({ id: conversationReports.id });
    await tx.insert(conversationReportMessages).values(ids.map((messageId) => ({ reportId: report!.id, messageId })));
    return report!.id;
  });
}

export interface ReportedMessage {
  id: number;
  /** The author's name in the conversation's group, as the conversation shows it; null once their account is gone. */
  author: string | null;
  bodyHtml: string;
  createdAt: Date;
  removed: boolean;
}

export interface ReportRow {
  id: number;
  group: { slug: string; name: string } | null;
  reason: ReportReason;
  details: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
  outcome: string | null;
  note: string | null;
  messages: ReportedMessage[];
}

/**
 * Reports for the site's moderators: open ones first (oldest first, as they have waited longest),
 * then the last ones resolved. Each with its reported messages only. One query.
 */
export async function listReports(db: Db, viewer: Viewer | null, limit = 100): Promise<ReportRow[]> {
  assertSiteAdmin(viewer);
  const result = (await db.execute(sql`
    select r.id, ${groupSummarySql(sql.raw('c.group_id'))} as "group", r.reason, r.created_at as "createdAt",
      r.resolved_at as "resolvedAt", r.outcome, r.note,
      (select coalesce(json_agg(json_build_object(
          'id', m.id, 'author', ${memberNameSql(sql.raw('c.group_id'), sql.raw('m.author_id'))},
          'bodyHtml', m.body_html, 'createdAt', m.created_at, 'removed', m.removed_at is not null) order by m.id), '[]'::json)
        from conversation_report_messages rm join private_messages m on m.id = rm.message_id
        where rm.report_id = r.id) as messages
    from conversation_reports r join conversations c on c.id = r.conversation_id
    order by (r.resolved_at is null) desc, case when r.resolved_at is null then r.created_at end asc,
      r.resolved_at desc, r.id
    limit ${limit}`)) as unknown as {
    rows: {
      id: number | string;
      group: ReportRow['group'];
      reason: string;
      createdAt: string | Date;
      resolvedAt: string | Date | null;
      outcome: string | null;
      note: string | null;
      messages: string | (Omit<ReportedMessage, 'createdAt'> & { createdAt: string })[];
    }[];
  };
  return result.rows.map((r) => {
    const messages = typeof r.messages === 'string' ? (JSON.parse(r.messages) as typeof r.messages) : r.messages;
    return {
      id: Number(r.id),
      group: r.group,
      ...readReason(r.reason),
      createdAt: new Date(r.createdAt),
      resolvedAt: r.resolvedAt === null ? null : new Date(r.resolvedAt),
      outcome: r.outcome,
      note: r.note,
      messages: (messages as (Omit<ReportedMessage, 'createdAt'> & { createdAt: string })[]).map((m) => ({
        ...m,
        id: Number(m.id),
        createdAt: new Date(m.createdAt),
      })),
    };
  });
}

export const reportOutcomes = ['dismissed', 'removed', 'silenced'] as const;

export const resolveInput = z
  .object({
    outcome: z.enum(reportOutcomes, 'messages.errors.outcome'),
    days: z.enum(silenceDays.map(String) as [string, ...string[]], 'messages.errors.days').optional(),
    note: z.string().trim().max(1000, 'messages.errors.noteLength').optional(),
  })
  .refine((r) => r.outcome !== 'silenced' || r.days !== undefined, { path: ['days'], message: 'messages.errors.days' })
  .refine((r) => r.outcome !== 'silenced' || (r.note ?? '').length >= 3, {
    path: ['note'],
    message: 'messages.errors.reasonRequired',
  });

/**
 * A site moderator resolves a report: nothing to do; the reported messages removed (the people
 * in the conversation see that a moderator removed them); or removed and their author paused from
 * posting and writing in the group (moderation's pauses), told why.
 */
export async function resolveReport(db: Db, viewer: Viewer | null, reportId: number, input: unknown): Promise<void> {
  assertSiteAdmin(viewer);
  const data = parseInput(resolveInput, input);
  await db.transaction(async (tx) => {
    const [report] = await tx
      .select({ id: conversationReports.id, conversationId: conversationReports.conversationId })
      .from(conversationReports)
      .where(and(eq(conversationReports.id, reportId), isNull(conversationReports.resolvedAt)));
    if (!report) throw new NotFound();
    const now = new Date();
    const reported = await tx
      .select({ id: privateMessages.id, authorId: privateMessages.authorId })
      .from(conversationReportMessages)
      .innerJoin(privateMessages, eq(privateMessages.id, conversationReportMessages.messageId))
      .where(eq(conversationReportMessages.reportId, reportId));
    if (data.outcome !== 'dismissed' && reported.length > 0) {
      await tx
        .update(privateMessages)
        .set({ removedAt: now })
        .where(
          and(
            inArray(
              privateMessages.id,
              reported.map((m) => m.id),
            ),
            isNull(privateMessages.removedAt),
          ),
        );
    }
    if (data.outcome === 'silenced') {
      const access = await accessGroupById(
        tx,
        viewer,
        sql`(select c.group_id from conversations c where c.id = ${report.conversationId})`,
      );
      const authors = new Set(reported.map((m) => m.authorId).filter((id): id is number => id !== null));
      for (const userId of authors) await silenceMember(tx, access, userId, Number(data.days), data.note!, now);
    }
    await tx
      .update(conversationReports)
      .set({ resolvedAt: now, resolvedBy: viewer.id, outcome: data.outcome, note: data.note || null })
      .where(eq(conversationReports.id, reportId));
  });
}
