import { and, asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { tellInApp, type MeetingNews } from './news.js';
import { fillPlaces, lockOccurrence } from './rsvp.js';
import {
  calendarFeeds,
  meetingOccurrences,
  meetingReminderSettings,
  meetingRsvps,
  meetings,
  type RsvpStatus,
} from './schema.js';

/*
 * What meetings keep about a person: their answers, their reminder settings, whether they have a
 * private calendar address (never its token, which only its hash is kept of anyway), and the
 * meetings they scheduled. Those meetings are the group's and stay when the person goes, without
 * them (created_by is set to null).
 */

export interface MeetingExport {
  answers: {
    groupId: number;
    meeting: string;
    startsAt: Date;
    status: RsvpStatus;
    answeredAt: Date;
    address: string;
  }[];
  scheduled: { groupId: number; meeting: string; createdAt: Date }[];
  reminders: { byEmail: boolean; inApp: boolean; dayBefore: boolean; hourBefore: boolean } | null;
  /** Whether the person made a private calendar address. */
  calendarFeed: boolean;
}

export async function exportMeetingData(db: DbOrTx, userId: number): Promise<MeetingExport> {
  const [answers, scheduled, reminders, feed] = await Promise.all([
    db
      .select({
        groupId: meetingRsvps.groupId,
        meeting: meetings.title,
        startsAt: meetingOccurrences.startsAt,
        status: meetingRsvps.status,
        answeredAt: meetingRsvps.respondedAt,
        address: sql<string>`'/meetings/' || ${meetingOccurrences.id}`,
      })
      .from(meetingRsvps)
      .innerJoin(meetingOccurrences, eq(meetingOccurrences.id, meetingRsvps.occurrenceId))
      .innerJoin(meetings, eq(meetings.id, meetingOccurrences.meetingId))
      .where(eq(meetingRsvps.userId, userId))
      .orderBy(asc(meetingOccurrences.startsAt)),
    db
      .select({ groupId: meetings.groupId, meeting: meetings.title, createdAt: meetings.createdAt })
      .from(meetings)
      .where(eq(meetings.createdBy, userId))
      .orderBy(asc(meetings.createdAt)),
    db
      .select({
        byEmail: meetingReminderSettings.byEmail,
        inApp: meetingReminderSettings.inApp,
        dayBefore: meetingReminderSettings.dayBefore,
        hourBefore: meetingReminderSettings.hourBefore,
      })
      .from(meetingReminderSettings)
      .where(eq(meetingReminderSettings.userId, userId)),
    db.select({ userId: calendarFeeds.userId }).from(calendarFeeds).where(eq(calendarFeeds.userId, userId)),
  ]);
  return { answers, scheduled, reminders: reminders[0] ?? null, calendarFeed: feed.length > 0 };
}

/**
 * Deleting an account, in its transaction: the person's answers go, and a place they held at a
 * date still to come goes to the first on its waitlist, who is told in the app (the account's
 * deletion sends no mail). Reminder settings and the calendar address go; meetings they scheduled
 * stay for their groups, without them.
 */
export async function forgetMeetingMember(tx: DbOrTx, userId: number, now = new Date()): Promise<void> {
  const held = await tx
    .select({ id: meetingOccurrences.id, groupId: meetingOccurrences.groupId, capacity: meetings.capacity })
    .from(meetingRsvps)
    .innerJoin(meetingOccurrences, eq(meetingOccurrences.id, meetingRsvps.occurrenceId))
    .innerJoin(meetings, eq(meetings.id, meetingOccurrences.meetingId))
    .where(
      and(
        eq(meetingRsvps.userId, userId),
        eq(meetingRsvps.status, 'going'),
        sql`${meetingOccurrences.startsAt} > ${now.toISOString()}::timestamptz`,
        sql`${meetingOccurrences.cancelledAt} is null`,
      ),
    );
  const news: MeetingNews[] = [];
  for (const o of held) {
    await lockOccurrence(tx, o.id);
    await tx.delete(meetingRsvps).where(and(eq(meetingRsvps.occurrenceId, o.id), eq(meetingRsvps.userId, userId)));
    for (const promoted of await fillPlaces(tx, o.id, o.capacity))
      news.push({ kind: 'meeting_place_offered', userId: promoted, groupId: o.groupId, occurrenceIds: [o.id] });
  }
  await tellInApp(tx, news);
  await tx.delete(meetingRsvps).where(eq(meetingRsvps.userId, userId));
  await tx.delete(meetingReminderSettings).where(eq(meetingReminderSettings.userId, userId));
  await tx.delete(calendarFeeds).where(eq(calendarFeeds.userId, userId));
  await tx.update(meetings).set({ createdBy: null }).where(eq(meetings.createdBy, userId));
}
