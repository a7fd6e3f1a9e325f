import { sql, type SQL } from 'drizzle-orm';
import type { NotificationKind } from './schema.js';

export type Channel = 'inApp' | 'email' | 'push';

const column: Record<Channel, string> = { inApp: 'in_app', email: 'email', push: 'push' };

/**
 * What a person is told of, and how, until they choose otherwise. Everything shows in the app;
 * what someone is waiting for (a reply, a mention, a message, a decision, a moderator's job) also
 * comes by email and push; reactions and watched posts only in the app, as they can be many.
 */
export const defaultChannels: Record<NotificationKind, Record<Channel, boolean>> = (() => {
  const quiet = { inApp: true, email: false, push: false };
  const loud = { inApp: true, email: true, push: true };
  const byEmail = { inApp: true, email: true, push: false };
  return {
    author_revealed: byEmail,
    flag_outcome: quiet,
    moderator_warning: byEmail,
    silenced: byEmail,
    // Its own discreet email goes to the leaders at once (safety/alerts.ts mailNewCrisisAlerts).
    crisis_alert: { inApp: true, email: false, push: true },
    check_in_request: loud,
    check_in_message: loud,
    listing_approved: byEmail,
    listing_declined: byEmail,
    listing_claim_approved: byEmail,
    listing_claim_declined: byEmail,
    thanks_received: quiet,
    thread_seen: quiet,
    coping_request: quiet,
    resource_approved: quiet,
    resource_declined: quiet,
    // Meetings send their own emails (reminders by meeting_reminder_settings, news at once); the
    // app and push here.
    meeting_reminder: { inApp: true, email: false, push: true },
    meeting_place_offered: { inApp: true, email: false, push: true },
    meeting_cancelled: { inApp: true, email: false, push: true },
    meeting_changed: { inApp: true, email: false, push: true },
    reply: loud,
    mention: loud,
    watched_post: quiet,
    reactions: quiet,
    // The decision is emailed on its own (groups/applications.ts decideApplication).
    application_decision: { inApp: true, email: false, push: true },
    moderator_alert: byEmail,
    message_request: loud,
    private_message: loud,
    group_welcome: { inApp: true, email: true, push: false },
    agreements_changed: { inApp: true, email: true, push: false },
    poll_closed: quiet,
  };
})();

/**
 * Whether a person wants a kind of notification on a channel: their own choice, or the kind's
 * default. `userId` and `kind` are SQL for columns of the caller's query (e.g. n.user_id, n.kind).
 */
export function channelEnabledSql(userId: SQL, kind: SQL, channel: Channel): SQL<boolean> {
  const defaults = Object.entries(defaultChannels)
    .filter(([, channels]) => channels[channel])
    .map(([k]) => sql`${k}`);
  return sql<boolean>`coalesce(
    (select p.${sql.raw(column[channel])} from notification_preferences p where p.user_id = ${userId} and p.kind = ${kind}),
    ${kind}::text in (${sql.join(defaults, sql`, `)}))`;
}

/**
 * Whether `at` falls in the person's quiet hours, on their own clock (users.time_zone); hours that
 * run past midnight (22:00 to 07:00) are understood. No quiet hours: false.
 */
export function inQuietHoursSql(userId: SQL, at: SQL): SQL<boolean> {
  return sql<boolean>`coalesce((
    select case
      when s.quiet_from is null or s.quiet_until is null or s.quiet_from = s.quiet_until then false
      when s.quiet_from < s.quiet_until then m.minute >= s.quiet_from and m.minute < s.quiet_until
      else m.minute >= s.quiet_from or m.minute < s.quiet_until
    end
    from notification_settings s
    join users u on u.id = s.user_id
    cross join lateral (
      select (extract(hour from (${at} at time zone u.time_zone)) * 60
        + extract(minute from (${at} at time zone u.time_zone)))::int as minute
    ) m
    where s.user_id = ${userId}), false)`;
}

/**
 * Kinds whose email is sent on its own, whatever these preferences say (a crisis alert to the
 * leaders, an application's decision, meeting reminders and news): the preferences page does not
 * offer their email, so that nobody gets the same news twice.
 */
export const ownEmailKinds: ReadonlySet<NotificationKind> = new Set([
  'crisis_alert',
  'application_decision',
  'meeting_reminder',
  'meeting_place_offered',
  'meeting_cancelled',
  'meeting_changed',
]);

/**
 * Kinds that always show on the site: what keeps someone safe (a crisis alert, a check-in) and what
 * was done about their own account (a warning, a pause, a reveal) must not be missed, so the
 * preferences page offers their email and push but not hiding them.
 */
export const alwaysOnSiteKinds: ReadonlySet<NotificationKind> = new Set([
  'crisis_alert',
  'check_in_request',
  'check_in_message',
  'moderator_warning',
  'silenced',
  'author_revealed',
]);

/** The preferences page's sections, as people think of them, each with its kinds in order. */
export const kindSections = [
  { key: 'replies', kinds: ['reply', 'mention', 'reactions', 'watched_post', 'thanks_received', 'thread_seen'] },
  { key: 'messages', kinds: ['message_request', 'private_message'] },
  { key: 'meetings', kinds: ['meeting_reminder', 'meeting_place_offered', 'meeting_changed', 'meeting_cancelled'] },
  { key: 'groups', kinds: ['group_welcome', 'agreements_changed', 'poll_closed'] },
  {
    key: 'yours',
    kinds: [
      'application_decision',
      'coping_request',
      'resource_approved',
      'resource_declined',
      'listing_approved',
      'listing_declined',
      'listing_claim_approved',
      'listing_claim_declined',
    ],
  },
  {
    key: 'leaders',
    kinds: ['check_in_message', 'moderator_warning', 'silenced', 'author_revealed', 'flag_outcome'],
  },
  { key: 'moderation', kinds: ['moderator_alert', 'crisis_alert', 'check_in_request'] },
] as const satisfies readonly { key: string; kinds: readonly NotificationKind[] }[];

export type KindSection = (typeof kindSections)[number]['key'];

/** "Email me at most every …": the choices, in minutes. */
export const emailIntervals = [15, 60, 240, 1440] as const;
