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
    crisis_alert: loud,
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
    // Meetings send their own reminder emails (meeting_reminder_settings); the app and push here.
    meeting_reminder: { inApp: true, email: false, push: true },
    meeting_place_offered: loud,
    meeting_cancelled: loud,
    meeting_changed: loud,
    reply: loud,
    mention: loud,
    watched_post: quiet,
    reactions: quiet,
    application_decision: loud,
    moderator_alert: byEmail,
    message_request: loud,
    private_message: loud,
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
