import { and, desc, eq, gt, lt } from 'drizzle-orm';
import { strToU8, zipSync } from 'fflate';
import { renderToString } from 'preact-render-to-string';
import type { Db } from '../../platform/db/client.js';
import { NotFound } from '../../platform/errors.js';
import { supportedLocales, translator } from '../../platform/views/i18n.js';
import { exportAccount } from '../accounts/index.js';
import { exportBlockingData } from '../blocking/index.js';
import { exportDirectoryData } from '../directory/index.js';
import { readPreferences } from '../content-warnings/index.js';
import { exportForumData } from '../forum/index.js';
import { exportGroupData, groupNamesByIds } from '../groups/index.js';
import { exportMailListData } from '../mail-lists/index.js';
import { exportModerationData } from '../moderation/index.js';
import { exportOrganisationData } from '../organisations/index.js';
import { exportPaymentData } from '../payments/index.js';
import { exportResourcesData } from '../resources/index.js';
import { exportCampaignData } from '../campaigns/index.js';
import { exportMeetingData } from '../meetings/index.js';
import { exportPushData } from '../push/index.js';
import { exportChatData } from '../chat/index.js';
import { exportCircleData } from '../circles/index.js';
import { exportFollowingData } from '../following/index.js';
import { exportMessageData } from '../messages/index.js';
import { exportNotificationData } from '../notifications/index.js';
import { exportSafetyData } from '../safety/index.js';
import { exportPromptsData, exportSupportData } from '../support/index.js';
import { exportTrustData } from '../trust/index.js';
import { ExportDocument, type MemberData } from './export-document.js';
import { dataExports } from './schema.js';

/** An archive is offered for this long after it is asked for, then deleted. */
export const OFFER_DAYS = 7;

/** Everything kept about a member, gathered from every feature, with group names filled in. */
export async function gatherMemberData(db: Db, userId: number): Promise<MemberData | null> {
  const [
    account,
    groups,
    forum,
    payments,
    organisations,
    moderation,
    blocking,
    warningsShown,
    crisis,
    trust,
    directory,
    mail,
    library,
    support,
    campaigns,
    push,
    prompts,
    meetingData,
    chat,
    circleData,
    following,
    messages,
    notificationData,
  ] = await Promise.all([
    exportAccount(db, userId),
    exportGroupData(db, userId),
    exportForumData(db, userId),
    exportPaymentData(db, userId),
    exportOrganisationData(db, userId),
    exportModerationData(db, userId),
    exportBlockingData(db, userId),
    readPreferences(db, { id: userId }),
    exportSafetyData(db, userId),
    exportTrustData(db, userId),
    exportDirectoryData(db, userId),
    exportMailListData(db, userId),
    exportResourcesData(db, userId),
    exportSupportData(db, userId),
    exportCampaignData(db, userId),
    exportPushData(db, userId),
    exportPromptsData(db, userId),
    exportMeetingData(db, userId),
    exportChatData(db, userId),
    exportCircleData(db, userId),
    exportFollowingData(db, userId),
    exportMessageData(db, userId),
    exportNotificationData(db, userId),
  ]);
  if (!account) return null;
  const names = await groupNamesByIds(db, [
    ...groups.memberships.map((m) => m.groupId),
    ...groups.applications.map((a) => a.groupId),
    ...groups.aliases.map((a) => a.groupId),
    ...forum.threads.map((t) => t.groupId),
    ...forum.posts.map((p) => p.groupId),
    ...forum.reactions.map((r) => r.groupId),
    ...payments.payments.map((p) => p.groupId),
    ...payments.hardshipRequests.map((h) => h.groupId),
    ...moderation.flags.map((f) => f.groupId),
    ...moderation.pauses.map((s) => s.groupId),
    ...blocking.blocked.map((b) => b.groupId),
    ...blocking.mutedThreads.map((m) => m.groupId),
    ...blocking.hiddenPosts.map((h) => h.groupId),
    ...crisis.crisisAlerts.map((a) => a.groupId),
    ...mail.subscriptions.map((s) => s.groupId),
    ...library.suggested.map((r) => r.groupId),
    ...library.helped.map((r) => r.groupId),
    ...library.copingSaved.map((c) => c.groupId),
    ...library.copingOfMine.map((c) => c.groupId),
    ...support.thanksSent.map((n) => n.groupId),
    ...support.thanksReceived.map((n) => n.groupId),
    ...campaigns.signatures.map((c) => c.groupId),
    ...meetingData.answers.map((a) => a.groupId),
    ...meetingData.scheduled.map((m) => m.groupId),
    ...chat.messages.map((m) => m.groupId),
    ...chat.rooms.map((r) => r.groupId),
    ...circleData.circles.map((c) => c.groupId),
    ...following.threads.map((f) => f.groupId),
    ...following.groups.map((f) => f.groupId),
    ...following.mentionedIn.map((m) => m.groupId),
    ...messages.conversations.map((c) => c.groupId),
    ...notificationData.notifications.flatMap((n) => (n.groupId === null ? [] : [n.groupId])),
  ]);
  const named = <T extends { groupId: number }>(rows: T[]) =>
    rows.map(({ groupId, ...rest }) => ({ group: names.get(groupId) ?? '', ...rest }));
  return {
    exportedAt: new Date(),
    account,
    organisations,
    directory,
    mail: { subscriptions: named(mail.subscriptions), settings: mail.settings, bounces: mail.bounces },
    campaigns: { signatures: named(campaigns.signatures) },
    meetings: {
      answers: named(meetingData.answers),
      scheduled: named(meetingData.scheduled),
      reminders: meetingData.reminders,
      calendarFeed: meetingData.calendarFeed,
    },
    push,
    chat: { messages: named(chat.messages), rooms: named(chat.rooms) },
    circles: named(circleData.circles),
    following: {
      threads: named(following.threads),
      groups: named(following.groups),
      mentionedIn: named(following.mentionedIn),
    },
    messages: { ...messages, conversations: named(messages.conversations), messages: named(messages.messages) },
    notifications: {
      ...notificationData,
      notifications: notificationData.notifications.map(({ groupId, ...rest }) => ({
        group: groupId === null ? '' : (names.get(groupId) ?? ''),
        ...rest,
      })),
    },
    resources: {
      suggested: named(library.suggested),
      helped: named(library.helped),
      copingSaved: named(library.copingSaved),
      copingOfMine: named(library.copingOfMine),
    },
    support: {
      thanksSent: named(support.thanksSent),
      thanksReceived: named(support.thanksReceived),
      badges: support.badges,
    },
    supportPrompts: prompts,
    groups: {
      memberships: named(groups.memberships),
      applications: named(groups.applications),
      aliases: named(groups.aliases),
    },
    forum: { threads: named(forum.threads), posts: named(forum.posts), reactions: named(forum.reactions) },
    payments: { payments: named(payments.payments), hardshipRequests: named(payments.hardshipRequests) },
    moderation: { flags: named(moderation.flags), pauses: named(moderation.pauses) },
    safety: {
      blocked: named(blocking.blocked),
      mutedThreads: named(blocking.mutedThreads),
      hiddenPosts: named(blocking.hiddenPosts),
      warningsShown: [...warningsShown],
      crisisAlerts: named(crisis.crisisAlerts),
      trust,
    },
  };
}

/** A zip with the data as JSON, for other programs, and as a web page a person can read. */
export function buildArchive(data: MemberData): Uint8Array {
  const language = data.account.settings.language;
  const locale = supportedLocales.includes(language) ? language : 'en';
  const html = `<!doctype html>${renderToString(ExportDocument({ t: translator(locale), locale, data }))}`;
  return zipSync({
    'mutual-data/data.json': strToU8(JSON.stringify(data, null, 2)),
    'mutual-data/index.html': strToU8(html),
  });
}

/**
 * Asks for an archive; it is prepared in the background. Asking again while one is being
 * prepared changes nothing. Returns the export to prepare, or null when one is already on its way.
 */
export async function requestExport(db: Db, userId: number): Promise<number | null> {
  await purgeExpiredExports(db);
  const [waiting] = await db
    .select({ id: dataExports.id })
    .from(dataExports)
    .where(and(eq(dataExports.userId, userId), eq(dataExports.status, 'preparing')));
  if (waiting) return null;
  const [row] = await db
    .insert(dataExports)
    .values({ userId, expiresAt: new Date(Date.now() + OFFER_DAYS * 24 * 3600 * 1000) })
    .returning({ id: dataExports.id });
  return row!.id;
}

/** The background job: gathers the data and stores the archive. Running it twice does no harm. */
export async function prepareExport(db: Db, exportId: number): Promise<void> {
  const [row] = await db.select().from(dataExports).where(eq(dataExports.id, exportId));
  if (!row || row.status === 'ready') return;
  const data = await gatherMemberData(db, row.userId);
  if (!data) return;
  await db
    .update(dataExports)
    .set({ status: 'ready', archive: buildArchive(data), readyAt: new Date() })
    .where(eq(dataExports.id, exportId));
  await purgeExpiredExports(db);
}

export interface ExportRow {
  id: number;
  status: 'preparing' | 'ready' | 'failed';
  createdAt: Date;
  expiresAt: Date;
}

/** The person's archives still on offer, newest first. */
export async function listExports(db: Db, userId: number): Promise<ExportRow[]> {
  return db
    .select({
      id: dataExports.id,
      status: dataExports.status,
      createdAt: dataExports.createdAt,
      expiresAt: dataExports.expiresAt,
    })
    .from(dataExports)
    .where(and(eq(dataExports.userId, userId), gt(dataExports.expiresAt, new Date())))
    .orderBy(desc(dataExports.createdAt));
}

/** A ready archive of the person's own; anyone else's, an expired or unknown one, is not found. */
export async function readArchive(db: Db, userId: number, exportId: unknown): Promise<Uint8Array> {
  const id = Number(exportId);
  if (!Number.isSafeInteger(id) || id <= 0 || id > 2 ** 31 - 1) throw new NotFound();
  const [row] = await db
    .select({ archive: dataExports.archive })
    .from(dataExports)
    .where(
      and(
        eq(dataExports.id, id),
        eq(dataExports.userId, userId),
        eq(dataExports.status, 'ready'),
        gt(dataExports.expiresAt, new Date()),
      ),
    );
  if (!row?.archive) throw new NotFound();
  return row.archive;
}

/** Archives past their 7 days are deleted, whoever they belong to. */
export async function purgeExpiredExports(db: Db): Promise<void> {
  await db.delete(dataExports).where(lt(dataExports.expiresAt, new Date()));
}
