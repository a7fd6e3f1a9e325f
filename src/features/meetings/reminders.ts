import { createHash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DbOrTx } from '../../platform/db/client.js';
import { deliverOnce, type KeyedMail } from '../../platform/mail/ledger.js';
import { defaultLocale, supportedLocales } from '../../platform/views/i18n.js';
import { userContactSql } from '../accounts/index.js';
import { activeMemberSql } from '../groups/index.js';
import { bounceAddress, mailPausedSql, type MailContext } from '../mail-lists/index.js';
import { notify } from '../notifications/index.js';
import type { MeetingKind } from './schema.js';
import { reminderMail, type ReminderMeeting } from './reminder-mail.js';

/*
 * Meeting reminders, 24 hours and 1 hour before each occurrence, to the members who answered
 * "going" or "maybe" (a "maybe" is someone still deciding, whom a reminder helps most; the
 * waitlisted have no place yet and hear when they get one). Every minute the worker asks which
 * occurrences have a reminder due that someone has not had yet, and queues one job per
 * occurrence, kind and start, under an id made from those, so that two runs or two workers queue
 * it once. The job sends by email through the idempotency ledger and writes the in-app
 * notification only where none is, so a retried job or a restarted worker never reminds twice.
 */

export const reminderKinds = ['day', 'hour'] as const;
export type ReminderKind = (typeof reminderKinds)[number];

/** How long before the start each reminder is due: exact hours, whatever the clocks do that day. */
export const REMINDER_LEAD_MS: Record<ReminderKind, number> = { day: 24 * 3600_000, hour: 3600_000 };

export const reminderJob = z.object({
  occurrenceId: z.number().int().positive(),
  kind: z.enum(reminderKinds),
  /** The start the reminder is for: an occurrence moved since is reminded of at its new time, by another job. */
  startsAt: z.string().datetime({ offset: true }),
  /** When the work found it due. The job acts as of then or later, never earlier. */
  dueAt: z.string().datetime({ offset: true }),
});
export type ReminderJob = z.infer<typeof reminderJob>;

/** The kinds with their leads, as rows `k(kind, lead)`; exact intervals, never '1 day', which follows the session's clock changes. */
const kindsSql = sql`(values ('day'::text, interval '24 hours'), ('hour'::text, interval '1 hour')) k(kind, lead)`;

const at = (now: Date) => sql`${now.toISOString()}::timestamptz`;

/** What the in-app reminder records in `reason`, and the ledger key names: the kind and the start it was for. */
const occasionSql = sql`k.kind || ':' || extract(epoch from o.starts_at)::bigint`;
const occasionOf = (kind: ReminderKind, startsAt: Date) => `${kind}:${Math.floor(startsAt.getTime() / 1000)}`;

/** The ledger key of one member's reminder email: "meeting-reminder:42:hour:1924974000:u:7". */
export function reminderKey(occurrenceId: number, kind: ReminderKind, startsAt: Date, userId: number): string {
  return `meeting-reminder:${occurrenceId}:${occasionOf(kind, startsAt)}:u:${userId}`;
}

/**
 * The rows an occurrence `o` and kind `k` are reminded to, one per answer `r`, with the member's
 * settings `s` (defaults without a row) and contact `c` (null without a confirmed address).
 */
const recipientsFrom = () => sql`meeting_rsvps r
  left join meeting_reminder_settings s on s.user_id = r.user_id
  left join lateral ${userContactSql(sql.raw('r.user_id'))} c on true`;

/**
 * Whether the answer `r` is due the reminder `k` of occurrence `o` at `now`: going or maybe, given
 * before the reminder's moment (someone who answers later knows already), from a member in good
 * standing, who wants this kind. Once the hour's reminder is due the day's gives way to it, unless
 * the member turned the hour's off (a worker that was down sends the one that still helps).
 */
function dueToSql(now: Date): SQL {
  return sql`r.occurrence_id = o.id and r.status in ('going', 'maybe')
    and r.responded_at <= o.starts_at - k.lead
    and ${activeMemberSql(sql.raw('o.group_id'), sql.raw('r.user_id'), now)}
    and (case k.kind when 'day' then coalesce(s.day_before, true) else coalesce(s.hour_before, true) end)
    and (k.kind = 'hour' or ${at(now)} < o.starts_at - interval '1 hour' or not coalesce(s.hour_before, true))`;
}

/** The in-app reminder is wanted and not written yet. */
const inAppPendingSql = sql`coalesce(s.in_app, true) and not exists (select 1 from notifications n
  where n.user_id = r.user_id and n.occurrence_id = o.id and n.kind = 'meeting_reminder' and n.reason = ${occasionSql})`;

/** The email is wanted, can be sent (a confirmed address, mail not paused after bounces), and was not sent yet. */
const emailPendingSql = () => sql`coalesce(s.by_email, true) and c.email is not null
  and not ${mailPausedSql(sql.raw('r.user_id'))}
  and not exists (select 1 from mail_sent sent
    where sent.key = 'meeting-reminder:' || o.id || ':' || ${occasionSql} || ':u:' || r.user_id)`;

/** The occurrence has not started, and neither it nor its meeting is cancelled. */
function stillAheadSql(now: Date): SQL {
  return sql`o.cancelled_at is null and m.cancelled_at is null and o.starts_at > ${at(now)}`;
}

/**
 * The reminders due at `now` that someone has not had: one row per occurrence and kind. The
 * occurrences are those starting within the next 24 hours (the partial index on starts_at).
 */
export async function dueReminders(db: DbOrTx, now: Date): Promise<ReminderJob[]> {
  const result = await db.execute(sql`
    select o.id, k.kind, o.starts_at
    from meeting_occurrences o
    join meetings m on m.id = o.meeting_id
    cross join ${kindsSql}
    where ${stillAheadSql(now)} and o.starts_at <= ${at(now)} + interval '24 hours'
      and o.starts_at - k.lead <= ${at(now)}
      and exists (select 1 from ${recipientsFrom()}
        where ${dueToSql(now)} and ((${inAppPendingSql}) or (${emailPendingSql()})))
    order by o.starts_at, o.id, k.kind`);
  return (result as unknown as { rows: { id: number; kind: ReminderKind; starts_at: string | Date }[] }).rows.map(
    (r) => ({
      occurrenceId: Number(r.id),
      kind: r.kind,
      startsAt: new Date(r.starts_at).toISOString(),
      dueAt: now.toISOString(),
    }),
  );
}

/** The job's own id, from what it is for (not when it was found due): a UUID, as pg-boss requires. */
export function reminderJobId(job: Pick<ReminderJob, 'occurrenceId' | 'kind' | 'startsAt'>): string {
  const hash = createHash('sha256')
    .update(`meeting-reminder:${job.occurrenceId}:${job.kind}:${new Date(job.startsAt).toISOString()}`)
    .digest('hex');
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-8${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

interface OccurrenceRow {
  occurrence_id: number;
  group_id: number;
  group_name: string;
  title: string;
  kind: MeetingKind;
  starts_at: string | Date;
  ends_at: string | Date;
  address: string | null;
  directions: string | null;
  accessibility_notes: string | null;
  dial_in: string | null;
  dial_in_pin: string | null;
}

/** The occurrence, when it is still ahead at `now`, not cancelled, and still starts when the job was queued for. */
async function occurrenceToRemind(db: DbOrTx, job: ReminderJob, now: Date): Promise<ReminderMeeting | null> {
  const result = await db.execute(sql`
    select o.id as occurrence_id, o.group_id, g.name as group_name, m.title, m.kind, o.starts_at, o.ends_at,
      m.address, m.directions, m.accessibility_notes, m.dial_in, m.dial_in_pin
    from meeting_occurrences o
    join meetings m on m.id = o.meeting_id
    join groups g on g.id = o.group_id
    where o.id = ${job.occurrenceId} and ${stillAheadSql(now)} and o.starts_at = ${job.startsAt}::timestamptz`);
  const row = (result as unknown as { rows: OccurrenceRow[] }).rows[0];
  if (!row) return null;
  return {
    occurrenceId: Number(row.occurrence_id),
    groupId: Number(row.group_id),
    groupName: row.group_name,
    title: row.title,
    kind: row.kind,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    address: row.address,
    directions: row.directions,
    accessibilityNotes: row.accessibility_notes,
    dialIn: row.dial_in,
    dialInPin: row.dial_in_pin,
  };
}

interface Recipient {
  userId: number;
  inApp: boolean;
  /** Where to send the email, when one is wanted and not sent yet. */
  email: string | null;
  locale: string;
  timeZone: string;
}

async function recipients(db: DbOrTx, job: ReminderJob, now: Date): Promise<Recipient[]> {
  const result = await db.execute(sql`
    select r.user_id, (${inAppPendingSql}) as in_app, case when ${emailPendingSql()} then c.email end as email,
      c.locale, c.time_zone
    from meeting_occurrences o
    join meetings m on m.id = o.meeting_id
    cross join ${kindsSql}
    cross join ${recipientsFrom()}
    where o.id = ${job.occurrenceId} and k.kind = ${job.kind} and ${dueToSql(now)}
    order by r.user_id`);
  return (
    result as unknown as {
      rows: {
        user_id: number;
        in_app: boolean;
        email: string | null;
        locale: string | null;
        time_zone: string | null;
      }[];
    }
  ).rows
    .map((r) => ({
      userId: Number(r.user_id),
      inApp: Boolean(r.in_app),
      email: r.email,
      locale: r.locale && supportedLocales.includes(r.locale) ? r.locale : defaultLocale,
      timeZone: r.time_zone ?? 'UTC',
    }))
    .filter((r) => r.inApp || r.email !== null);
}

/**
 * Runs one reminder job: as of the later of now and the moment it was found due, so that a job
 * run late never reminds of a meeting that has started. The in-app notifications come first, in
 * one transaction that holds the occurrence's reminder lock (a job expired and retried while the
 * first try still runs cannot write them twice); then the emails, through the ledger.
 */
export async function sendReminders(
  ctx: MailContext,
  job: ReminderJob,
  now = new Date(),
): Promise<{ notified: number; sent: number }> {
  const asOf = new Date(Math.max(now.getTime(), new Date(job.dueAt).getTime()));
  const meeting = await occurrenceToRemind(ctx.db, job, asOf);
  if (!meeting) return { notified: 0, sent: 0 };
  const occasion = occasionOf(job.kind, meeting.startsAt);
  const notified = await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`meeting-reminder:${job.occurrenceId}`}))`);
    // Read again under the lock: only those still without one.
    const due = (await recipients(tx, job, asOf)).filter((r) => r.inApp);
    for (const r of due) {
      await notify(tx, {
        userId: r.userId,
        kind: 'meeting_reminder',
        groupId: meeting.groupId,
        occurrenceId: meeting.occurrenceId,
        reason: occasion,
      });
    }
    return due.length;
  });
  const mail: KeyedMail[] = [];
  for (const r of await recipients(ctx.db, job, asOf)) {
    if (!r.email) continue;
    const messageId = `<meeting-reminder-${meeting.occurrenceId}-${occasion.replace(':', '-')}-${r.userId}@${ctx.domain}>`;
    mail.push({
      key: reminderKey(meeting.occurrenceId, job.kind, meeting.startsAt, r.userId),
      messageId,
      message: {
        to: r.email,
        ...reminderMail(ctx.baseUrl, { locale: r.locale, timeZone: r.timeZone }, meeting, asOf),
        messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
        envelopeFrom: bounceAddress(ctx, r.userId),
      },
    });
  }
  const { sent } = await deliverOnce(ctx.db, ctx.transport, mail);
  return { notified, sent };
}
