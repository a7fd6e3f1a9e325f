import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../platform/db/client.js';
import { parseInput } from '../../platform/http/forms.js';
import { userContactSql } from '../accounts/index.js';
import { mailPausedSql } from '../mail-lists/index.js';
import { meetingReminderSettings } from './schema.js';

/** A member's meeting reminders (every group alike), and what the settings page says beside them. */
export interface ReminderSettings {
  byEmail: boolean;
  inApp: boolean;
  dayBefore: boolean;
  hourBefore: boolean;
  /** Reminders by email need a confirmed address… */
  emailConfirmed: boolean;
  /** …and mail not paused after bounces. */
  mailPaused: boolean;
  /** The person has a calendar address (its token cannot be shown again: only its hash is kept). */
  hasCalendar: boolean;
}

/** The settings (defaults, all on, without a row), the address's state and whether a feed exists: one query. */
export async function readReminderSettings(db: DbOrTx, userId: number): Promise<ReminderSettings> {
  const result = await db.execute(sql`
    select coalesce(s.by_email, true) as "byEmail", coalesce(s.in_app, true) as "inApp",
      coalesce(s.day_before, true) as "dayBefore", coalesce(s.hour_before, true) as "hourBefore",
      exists ${userContactSql(sql`${userId}`)} as "emailConfirmed",
      ${mailPausedSql(sql`${userId}`)} as "mailPaused",
      exists (select 1 from calendar_feeds f where f.user_id = ${userId}) as "hasCalendar"
    from (select 1) one left join meeting_reminder_settings s on s.user_id = ${userId}`);
  const row = (result as unknown as { rows: ReminderSettings[] }).rows[0]!;
  return {
    byEmail: Boolean(row.byEmail),
    inApp: Boolean(row.inApp),
    dayBefore: Boolean(row.dayBefore),
    hourBefore: Boolean(row.hourBefore),
    emailConfirmed: Boolean(row.emailConfirmed),
    mailPaused: Boolean(row.mailPaused),
    hasCalendar: Boolean(row.hasCalendar),
  };
}

/** A checkbox sends "on" when ticked and nothing when not; anything else is a hand-made request. */
const checkbox = z
  .literal('on', 'meetings.reminders.settings.invalid')
  .optional()
  .transform((v) => v === 'on');

const settingsInput = z.object({
  byEmail: checkbox,
  inApp: checkbox,
  dayBefore: checkbox,
  hourBefore: checkbox,
});

/** Saves the person's reminder choices; Invalid (with the field) for anything a form would not send. */
export async function saveReminderSettings(db: DbOrTx, userId: number, input: unknown): Promise<void> {
  const choice = parseInput(settingsInput, input);
  await db
    .insert(meetingReminderSettings)
    .values({ userId, ...choice })
    .onConflictDoUpdate({ target: meetingReminderSettings.userId, set: choice });
}
