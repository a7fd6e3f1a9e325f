import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { Forbidden, NotFound } from '../../platform/errors.js';
import { parseInput } from '../../platform/http/forms.js';
import { translator } from '../../platform/views/i18n.js';
import { siteAdminIds, siteAdminIdsSql, userContactSql } from '../accounts/index.js';
import {
  accessGroupById,
  assertCanModerate,
  canModerate,
  groupLeaderIds,
  memberNameSql,
  recordAudit,
  type Actor,
  type GroupAccess,
} from '../groups/index.js';
import { notify } from '../notifications/index.js';
import type { RiskResult } from './detection/index.js';
import { crisisAlerts, type CrisisAlert } from './schema.js';

/** What a written post is, as far as an alert needs to know. */
export interface AlertedPost {
  id: number;
  groupId: number;
  threadId: number;
  authorId: number | null;
  anonymous: boolean;
}

/** A message in a live chat room (src/features/chat), which has no thread. */
export interface AlertedChatMessage {
  chatMessageId: number;
  groupId: number;
  authorId: number | null;
}

/**
 * Tells a group's leaders that a post (or a live chat message) reads as someone who may be in
 * danger: an alert for their safety page, and a notification to each of them at once, in the
 * transaction that wrote it. One already under an open alert keeps that one (its categories
 * grow). Returns the alert's id.
 */
export async function raiseCrisisAlert(
  tx: DbOrTx,
  access: GroupAccess,
  post: AlertedPost | AlertedChatMessage,
  risk: RiskResult,
  source: 'detection' | 'flag' = 'detection',
): Promise<number> {
  const categories = risk.categories.join(',');
  const about =
    'chatMessageId' in post
      ? {
          values: { chatMessageId: post.chatMessageId },
          target: {
            target: crisisAlerts.chatMessageId,
            where: sql`resolved_at is null and chat_message_id is not null`,
          },
          open: eq(crisisAlerts.chatMessageId, post.chatMessageId),
          notice: {},
        }
      : {
          values: { threadId: post.threadId, postId: post.id },
          target: { target: crisisAlerts.postId, where: sql`resolved_at is null` },
          open: eq(crisisAlerts.postId, post.id),
          notice: { threadId: post.threadId, postId: post.id },
        };
  const [created] = await tx
    .insert(crisisAlerts)
    .values({ groupId: post.groupId, ...about.values, authorId: post.authorId, source, categories })
    .onConflictDoNothing(about.target)
    .returning({ id: crisisAlerts.id });
  if (created) {
    for (const userId of await alertRecipients(tx, access.group.id, post.authorId)) {
      await notify(tx, { userId, kind: 'crisis_alert', groupId: post.groupId, ...about.notice });
    }
    return created.id;
  }
  const [open] = await tx
    .update(crisisAlerts)
    .set({
      categories: sql`array_to_string(array(select distinct unnest(string_to_array(${crisisAlerts.categories} || ',' || ${categories}, ',')) as c order by c), ',')`,
    })
    .where(and(about.open, isNull(crisisAlerts.resolvedAt)))
    .returning({ id: crisisAlerts.id });
  return open!.id;
}

/**
 * Who is told about an alert: the group's leaders, but not the author (they see the help panel
 * instead). When there is no one else (the author leads the group alone), the site's
 * administrators are told, so that nobody in crisis goes unnoticed.
 */
async function alertRecipients(tx: DbOrTx, groupId: number, authorId: number | null): Promise<number[]> {
  const others = (ids: number[]) => ids.filter((id) => id !== authorId);
  const leaders = others(await groupLeaderIds(tx, groupId));
  return leaders.length > 0 ? leaders : others(await siteAdminIds(tx));
}

/** Effects of writing a post that happen after it is committed. */
export type AfterWrite = Partial<Pick<Deps, 'mailer' | 'baseUrl'>>;

/**
 * Emails the leaders of every group with an alert not yet mailed (normally the one just raised),
 * each in their language, once the post or flag that raised it is committed. Claiming the alerts
 * first makes this safe to call from several processes; an alert whose mail was lost in a crash is
 * picked up by the next call. The email names neither the group nor the author and quotes nothing,
 * only a link that asks the reader to sign in, so that a shared inbox learns nothing about anyone.
 */
export async function mailNewCrisisAlerts(db: Db, effects: AfterWrite): Promise<void> {
  const { mailer, baseUrl } = effects;
  if (!mailer || !baseUrl) return;
  const result = (await db.execute(sql`
    with claimed as (
      update crisis_alerts set mailed_at = now()
      where id in (select id from crisis_alerts where mailed_at is null and resolved_at is null
        order by id limit 20 for update skip locked)
      returning id, group_id, author_id
    )
    , leaders as (
      select a.id as alert_id, m.user_id from claimed a
      join memberships m on m.group_id = a.group_id and m.role in ('owner', 'moderator', 'facilitator')
      where a.author_id is distinct from m.user_id
    ), recipients as (
      select alert_id, user_id from leaders
      union
      -- Nobody else leads the group: the site's administrators, as alertRecipients decides.
      select a.id, admin.id from claimed a cross join ${siteAdminIdsSql} admin(id)
      where a.author_id is distinct from admin.id and not exists (select 1 from leaders l where l.alert_id = a.id)
    )
    select c.email, c.locale, c.pseudonym, g.slug
    from recipients r
    join claimed a on a.id = r.alert_id
    join groups g on g.id = a.group_id
    cross join lateral ${userContactSql(sql.raw('r.user_id'))} c`)) as unknown as {
    rows: { email: string; locale: string; pseudonym: string; slug: string }[];
  };
  for (const leader of result.rows) {
    const t = translator(leader.locale === 'auto' ? 'en' : leader.locale);
    await mailer.send({
      to: leader.email,
      subject: t('safety.alertMail.subject'),
      text: t('safety.alertMail.body', { name: leader.pseudonym, link: `${baseUrl}/g/${leader.slug}/safety` }),
    });
  }
}

export interface AlertRow {
  id: number;
  /** The post it is about and its thread; null for a live chat message. */
  threadId: number | null;
  postId: number | null;
  threadTitle: string | null;
  /** A live chat message: its id, its words, and the room it was said in (a group's, or a meeting's). */
  chatMessageId: number | null;
  chatBody: string | null;
  chatRoomPath: string | null;
  /** The author's name in the group; null when the post is anonymous or its author has left. */
  author: string | null;
  source: CrisisAlert['source'];
  categories: string[];
  createdAt: Date;
  checkInRequestedAt: Date | null;
  checkedInAt: Date | null;
  resolvedAt: Date | null;
  resolutionNote: string | null;
}

/** A group's crisis alerts for its leaders: open ones first (oldest first), then the latest closed ones. */
export async function listAlerts(db: Db, access: GroupAccess): Promise<AlertRow[]> {
  assertCanModerate(access);
  const result = (await db.execute(sql`
    select ca.id, ca.thread_id as "threadId", ca.post_id as "postId", t.title as "threadTitle",
      ca.chat_message_id as "chatMessageId", cm.body as "chatBody",
      case when cr.id is null then null when cr.occurrence_id is null then '/g/' || g.slug || '/chat'
        else '/meetings/' || cr.occurrence_id || '/room' end as "chatRoomPath",
      case when p.anonymous then null else ${memberNameSql(sql.raw('ca.group_id'), sql.raw('ca.author_id'))} end as author,
      ca.source, ca.categories, ca.created_at as "createdAt", ca.check_in_requested_at as "checkInRequestedAt",
      ca.checked_in_at as "checkedInAt", ca.resolved_at as "resolvedAt", ca.resolution_note as "resolutionNote"
    from crisis_alerts ca
    join groups g on g.id = ca.group_id
    left join threads t on t.id = ca.thread_id
    left join posts p on p.id = ca.post_id
    -- A live chat message's alert (src/features/chat), with the room it was said in.
    left join chat_messages cm on cm.id = ca.chat_message_id
    left join chat_rooms cr on cr.id = cm.room_id
    where ca.group_id = ${access.group.id}
      and ((t.id is not null and p.id is not null and p.deleted_at is null) or cm.id is not null)
      and (ca.resolved_at is null or ca.resolved_at > now() - interval '30 days')
    order by ca.resolved_at is not null, case when ca.resolved_at is null then ca.created_at end asc,
      ca.resolved_at desc
    limit 200`)) as unknown as {
    rows: (Omit<AlertRow, 'categories' | 'createdAt' | 'checkInRequestedAt' | 'checkedInAt' | 'resolvedAt'> & {
      categories: string;
      createdAt: string | Date;
      checkInRequestedAt: string | Date | null;
      checkedInAt: string | Date | null;
      resolvedAt: string | Date | null;
    })[];
  };
  const date = (v: string | Date | null) => (v === null ? null : new Date(v));
  return result.rows.map((r) => ({
    ...r,
    id: Number(r.id),
    chatMessageId: r.chatMessageId === null ? null : Number(r.chatMessageId),
    categories: r.categories ? r.categories.split(',') : [],
    createdAt: new Date(r.createdAt),
    checkInRequestedAt: date(r.checkInRequestedAt),
    checkedInAt: date(r.checkedInAt),
    resolvedAt: date(r.resolvedAt),
  }));
}

/** An alert and its group's access, for a leader of the group; NotFound for anyone else. */
async function accessAlert(tx: DbOrTx, actor: Actor, alertId: number) {
  const [alert] = await tx.select().from(crisisAlerts).where(eq(crisisAlerts.id, alertId));
  if (!alert) throw new NotFound();
  const access = await accessGroupById(tx, actor, alert.groupId);
  // Alerts are the leaders' alone: to anyone else one does not exist.
  if (!canModerate(access)) throw new NotFound();
  return { access, alert };
}

const noteInput = z.object({
  note: z.string().trim().min(1, 'safety.errors.noteRequired').max(2000, 'safety.errors.noteLength'),
});
const messageInput = z.object({
  message: z.string().trim().min(1, 'safety.errors.messageRequired').max(2000, 'safety.errors.messageLength'),
});

/** A leader closes an alert, saying what was done; audited. */
export async function resolveAlert(db: Db, actor: Actor, alertId: number, input: unknown): Promise<GroupAccess> {
  const data = parseInput(noteInput, input);
  return db.transaction(async (tx) => {
    const { access, alert } = await accessAlert(tx, actor, alertId);
    if (alert.resolvedAt) return access;
    await tx
      .update(crisisAlerts)
      .set({ resolvedAt: new Date(), resolvedBy: actor!.id, resolutionNote: data.note })
      .where(eq(crisisAlerts.id, alertId));
    await recordAudit(tx, {
      groupId: alert.groupId,
      actorId: actor!.id,
      action: 'resolve_crisis_alert',
      threadId: alert.threadId,
      postId: alert.postId,
      reason: data.note,
    });
    return access;
  });
}

/**
 * A leader sends the author a private check-in message. It reaches them as a notification, so
 * the leader never needs to know who wrote an anonymous post.
 */
export async function sendCheckIn(db: Db, actor: Actor, alertId: number, input: unknown): Promise<GroupAccess> {
  const data = parseInput(messageInput, input);
  return db.transaction(async (tx) => {
    const { access, alert } = await accessAlert(tx, actor, alertId);
    if (alert.authorId === null) throw new Forbidden('safety.errors.authorGone');
    await notify(tx, {
      userId: alert.authorId,
      kind: 'check_in_message',
      groupId: alert.groupId,
      threadId: alert.threadId,
      postId: alert.postId,
      actorRole: access.role === 'facilitator' ? 'facilitator' : 'moderator',
      reason: data.message,
    });
    await tx.update(crisisAlerts).set({ checkedInAt: new Date() }).where(eq(crisisAlerts.id, alertId));
    await recordAudit(tx, {
      groupId: alert.groupId,
      actorId: actor!.id,
      action: 'send_check_in',
      threadId: alert.threadId,
      postId: alert.postId,
    });
    return access;
  });
}

/**
 * The author of an alerted post asks the group's leaders to check in with them. Returns where the
 * post is, to go back to it.
 */
export async function requestCheckIn(
  db: Db,
  actor: Actor,
  alertId: number,
): Promise<{ slug: string; threadId: number | null; chatRoomPath: string | null }> {
  if (!actor) throw new NotFound();
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({
        alert: crisisAlerts,
        slug: sql<string>`(select g.slug from groups g where g.id = crisis_alerts.group_id)`,
        // The live room a chat message was said in, to go back to (src/features/chat).
        chatRoomPath: sql<string | null>`(select case when cr.occurrence_id is null
            then '/g/' || (select g.slug from groups g where g.id = cr.group_id) || '/chat'
            else '/meetings/' || cr.occurrence_id || '/room' end
          from chat_messages cm join chat_rooms cr on cr.id = cm.room_id where cm.id = crisis_alerts.chat_message_id)`,
      })
      .from(crisisAlerts)
      .where(and(eq(crisisAlerts.id, alertId), eq(crisisAlerts.authorId, actor.id)));
    if (!found) throw new NotFound();
    const { alert, slug, chatRoomPath } = found;
    const where = { slug, threadId: alert.threadId, chatRoomPath: chatRoomPath ?? null };
    if (alert.checkInRequestedAt) return where;
    await tx.update(crisisAlerts).set({ checkInRequestedAt: new Date() }).where(eq(crisisAlerts.id, alertId));
    for (const userId of await alertRecipients(tx, alert.groupId, actor.id)) {
      await notify(tx, {
        userId,
        kind: 'check_in_request',
        groupId: alert.groupId,
        threadId: alert.threadId,
        postId: alert.postId,
      });
    }
    return where;
  });
}

/** The slug of an alert's group, for a leader of the group (to show its page again). */
export async function alertGroupSlug(db: Db, actor: Actor, alertId: number): Promise<string> {
  const { access } = await accessAlert(db, actor, alertId);
  return access.group.slug;
}

/** The author's own alert, for the help panel shown after they posted; null for anyone else's. */
export async function ownAlert(db: DbOrTx, actor: Actor, alertId: number): Promise<CrisisAlert | null> {
  if (!actor) return null;
  const [alert] = await db
    .select()
    .from(crisisAlerts)
    .where(and(eq(crisisAlerts.id, alertId), eq(crisisAlerts.authorId, actor.id)))
    .orderBy(desc(crisisAlerts.id));
  return alert ?? null;
}
