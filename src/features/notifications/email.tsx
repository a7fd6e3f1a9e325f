import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { JobQueue } from '../../platform/jobs/queue.js';
import type { PeriodicWork } from '../../platform/jobs/periodic.js';
import { deliverOnce } from '../../platform/mail/ledger.js';
import type { MailMessage } from '../../platform/mail/mailer.js';
import { defaultLocale, supportedLocales, translator, type Translate } from '../../platform/views/i18n.js';
import { userContactSql } from '../accounts/index.js';
import { bounceAddress, EmailPage, mailPausedSql, renderEmail, type MailContext } from '../mail-lists/index.js';
import { intArray } from './live.js';
import { inQuietHoursSql } from './preferences.js';
import { notificationViews, type NotificationView } from './reading.js';
import { notificationUnsubscribeToken } from './settings.js';
import { countSentence, notificationSummary } from './summaries.js';

/*
 * Notification emails, batched: every minute the worker asks which people have notifications due
 * by email (email_due_at, set when each was written: pipeline.ts) whose last notification email is
 * at least their interval old and who are not in their quiet hours, and queues one job per person
 * with the notifications it is about. The job sends ONE email through the idempotency ledger, then
 * marks those notifications emailed and moves the person's last_email_at on. A job retried after a
 * crash finds its email in the ledger and only marks; the periodic work queuing the same
 * notifications twice queues the same job id, which pg-boss keeps once.
 */

/** Notifications one email is about at most; any more wait for the next. */
const PER_EMAIL = 100;
/** People a run queues at most; the rest are found by the next run, a minute later. */
const PER_RUN = 500;

export const emailJob = z.object({
  userId: z.number().int().positive(),
  ids: z.array(z.number().int().positive()).min(1).max(PER_EMAIL),
});
export type EmailJob = z.infer<typeof emailJob>;

/** People whose notification email is due at `now`, each with the notifications it is about. */
export async function dueNotificationEmails(ctx: Pick<MailContext, 'db'>, now: Date): Promise<EmailJob[]> {
  const at = sql`${now.toISOString()}::timestamptz`;
  const result = (await ctx.db.execute(sql`
    select n.user_id, (array_agg(n.id order by n.id))[1:${PER_EMAIL}] as ids
    from notifications n
    left join notification_settings s on s.user_id = n.user_id
    where n.emailed_at is null and n.email_due_at is not null and n.email_due_at <= ${at}
      and (s.last_email_at is null or s.last_email_at <= ${at} - s.email_every_minutes * interval '1 minute')
      and not ${inQuietHoursSql(sql.raw('n.user_id'), at)}
    group by n.user_id
    order by n.user_id
    limit ${PER_RUN}`)) as unknown as { rows: { user_id: number | string; ids: unknown }[] };
  return result.rows.map((r) => ({ userId: Number(r.user_id), ids: intArray(r.ids) }));
}

const digest = (job: EmailJob) =>
  createHash('sha256')
    .update(`notification-email:${job.userId}:${job.ids.join(',')}`)
    .digest('hex');

/** The job's id, made from what it is for, so the same email is never queued twice. */
export function emailJobId(job: EmailJob): string {
  const hash = digest(job);
  // Shaped as a UUID (version 8: "custom"), which pg-boss's id column requires.
  return `${hash.slice(0, 8)}-${hash.slice(8, 12)}-8${hash.slice(13, 16)}-a${hash.slice(17, 20)}-${hash.slice(20, 32)}`;
}

interface Reader {
  email: string;
  locale: string;
  emailDetails: boolean;
}

/** Where the email goes and how it is written; null when the person may not get it now. */
async function readerOf(ctx: Pick<MailContext, 'db'>, userId: number): Promise<Reader | null> {
  const result = (await ctx.db.execute(sql`
    select c.email, c.locale, coalesce(s.email_details, false) as email_details
    from ${userContactSql(sql`${userId}::int`)} c
    left join notification_settings s on s.user_id = ${userId}
    where not ${mailPausedSql(sql`${userId}::int`)}`)) as unknown as { rows: Record<string, unknown>[] };
  const row = result.rows[0];
  if (!row) return null;
  const locale = supportedLocales.includes(String(row.locale)) ? String(row.locale) : defaultLocale;
  return { email: String(row.email), locale, emailDetails: Boolean(row.email_details) };
}

/**
 * Sends one person's notification email for the notifications of a job that are still waiting for
 * it (one read on the site meanwhile is left out: reading it cancelled its email).
 */
export async function sendNotificationEmail(ctx: MailContext, job: EmailJob): Promise<{ sent: number }> {
  const ids = `{${job.ids.join(',')}}`;
  const reader = await readerOf(ctx, job.userId);
  if (!reader) {
    // No confirmed address, or its mail paused after bounces: these go by email no more.
    await ctx.db.execute(sql`
      update notifications set email_due_at = null
      where user_id = ${job.userId} and id = any(${ids}::int[]) and emailed_at is null`);
    return { sent: 0 };
  }
  const waiting = await notificationViews(ctx.db, job.userId, job.ids, { waitingForEmail: true });
  if (waiting.length === 0) return { sent: 0 };
  const message = composeNotificationEmail(ctx, job.userId, reader, waiting);
  const hash = digest(job);
  const messageId = `<notifications-${job.userId}-${hash.slice(0, 16)}@${ctx.domain}>`;
  const { sent } = await deliverOnce(ctx.db, ctx.transport, [
    { key: `notifications:u:${job.userId}:${hash.slice(0, 32)}`, messageId, message: { ...message, messageId } },
  ]);
  await ctx.db.transaction(async (tx) => {
    await tx.execute(sql`
      update notifications set emailed_at = now()
      where user_id = ${job.userId} and id = any(${ids}::int[]) and emailed_at is null`);
    await tx.execute(sql`
      insert into notification_settings (user_id, last_email_at) values (${job.userId}, now())
      on conflict (user_id) do update set last_email_at = now()`);
  });
  return { sent };
}

/**
 * The email itself. By default it reveals nothing a lock screen or a shared inbox should not show:
 * a subject and a first line that say only that there is something on Mutual, how many of what,
 * and a link to sign in and see. With "show details in emails" on, it lists each notification
 * with its group, each linking to it.
 */
export function composeNotificationEmail(
  ctx: Pick<MailContext, 'baseUrl' | 'domain' | 'secret'>,
  userId: number,
  reader: Pick<Reader, 'email' | 'locale' | 'emailDetails'>,
  list: readonly NotificationView[],
): MailMessage {
  const t = translator(reader.locale);
  const site = t('site.name');
  const token = notificationUnsubscribeToken(ctx, userId);
  const unsubscribeUrl = `${ctx.baseUrl}/notifications/unsubscribe/${token}`;
  const settingsUrl = `${ctx.baseUrl}/account/notifications`;
  const allUrl = `${ctx.baseUrl}/notifications`;
  const subject = t('notifications.email.subject', { site });
  const summary = t('notifications.email.summary', { what: countSentence(t, reader.locale, list), site });
  const items = reader.emailDetails ? list.map((n) => detailLine(t, ctx.baseUrl, n)) : [];
  const text = [
    summary,
    '',
    ...items.flatMap((i) => [
      `- ${i.text}`,
      ...(i.quote ? i.quote.split('\n').map((l) => `  > ${l}`) : []),
      `  ${i.url}`,
    ]),
    ...(items.length > 0 ? [''] : []),
    t('notifications.email.see', { url: allUrl }),
    '',
    '-- ',
    t('notifications.email.why'),
    t('notifications.email.settings', { url: settingsUrl }),
    t('notifications.email.unsubscribe', { url: unsubscribeUrl }),
  ].join('\n');
  const link = 'color:#1a4f8b';
  const html = renderEmail(
    <EmailPage
      lang={reader.locale}
      title={subject}
      t={t}
      footer={{ reason: t('notifications.email.why'), settingsUrl, unsubscribeUrl }}
    >
      <p style="margin:0 0 16px">{summary}</p>
      {items.length > 0 ? (
        <ul style="margin:0 0 16px;padding-left:20px">
          {items.map((i) => (
            <li key={i.url} style="margin:0 0 8px">
              <a href={i.url} style={link}>
                {i.text}
              </a>
              {i.quote ? <p style="margin:4px 0 0;white-space:pre-wrap;color:#333">{i.quote}</p> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <p style="margin:0 0 16px">
        <a href={allUrl} style={link}>
          {t('notifications.email.seeLink')}
        </a>
      </p>
    </EmailPage>,
  );
  return {
    to: reader.email,
    subject,
    text,
    html,
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>, <mailto:notifications+${token}@${ctx.domain}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    },
    envelopeFrom: bounceAddress(ctx, userId),
  };
}

/** "Sam replied to you in “Sleepless nights” (Caregivers Circle)", and where it leads. */
function detailLine(t: Translate, baseUrl: string, n: NotificationView): { text: string; url: string; quote?: string } {
  const text = notificationSummary(t, n);
  return {
    text: n.group ? t('notifications.email.inGroup', { text, group: n.group.name }) : text,
    url: `${baseUrl}/notifications/${n.id}`,
    // A welcome carries its leaders' message (as written: the email is text), or the site's own.
    ...(n.kind === 'group_welcome' ? { quote: n.welcome?.trim() || t('agreements.welcome.default') } : {}),
  };
}

/**
 * The job that sends notification emails (defined before the queue starts), and the work that
 * queues it every minute. A person's email waits for their interval and their quiet hours; a
 * worker that was down catches up when it is back.
 */
export function notificationEmailWork(jobs: Pick<JobQueue, 'define'>, ctx: MailContext): PeriodicWork {
  const job = jobs.define({
    name: 'notifications.email',
    data: emailJob,
    retryLimit: 8,
    retryDelay: 60,
    expireInSeconds: 5 * 60,
    run: async (data) => {
      await sendNotificationEmail(ctx, data);
    },
  });
  return {
    name: 'notification-emails',
    everySeconds: 60,
    run: async (now) => {
      for (const data of await dueNotificationEmails(ctx, now)) await job.send(data, { id: emailJobId(data) });
    },
  };
}
