import { Fragment } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { translator, type Translate } from '../../platform/views/i18n.js';
import { formatDateTime } from '../../platform/views/time.js';
import { EmailPage, renderEmail } from '../mail-lists/index.js';
import type { MeetingKind } from './schema.js';
import type { OccurrenceSummary } from './summaries.js';

/** What a reminder tells of one occurrence. Dial-in details go only to members, which recipients are. */
export interface ReminderMeeting {
  occurrenceId: number;
  groupId: number;
  groupName: string;
  title: string;
  kind: MeetingKind;
  startsAt: Date;
  endsAt: Date;
  address: string | null;
  directions: string | null;
  accessibilityNotes: string | null;
  dialIn: string | null;
  dialInPin: string | null;
}

/** The member the reminder is written for: their language and their time zone. */
export interface ReminderReader {
  locale: string;
  timeZone: string;
}

const rangeFormats = new Map<string, Intl.DateTimeFormat>();

/** "Tuesday 29 October 2030, 19:00 – 20:00" on the reader's clock (UTC for a zone Intl does not know). */
function when(r: ReminderReader, start: Date, end: Date): { text: string; zone: string } {
  for (const timeZone of [r.timeZone, 'UTC']) {
    const key = `${r.locale} ${timeZone}`;
    try {
      let format = rangeFormats.get(key);
      if (!format) {
        format = new Intl.DateTimeFormat(r.locale, { dateStyle: 'full', timeStyle: 'short', timeZone });
        rangeFormats.set(key, format);
      }
      return { text: format.formatRange(start, end), zone: timeZone.replace(/_/g, ' ') };
    } catch {
      // A zone PostgreSQL knows and Intl does not: the reminder still goes, in UTC.
    }
  }
  return { text: `${start.toISOString()} – ${end.toISOString()}`, zone: 'UTC' };
}

/**
 * "A reminder from Mutual: a meeting in 1 hour". The subject names neither the group nor the
 * meeting: phones show subjects on the lock screen. It says how long is left as of sending, so a
 * reminder a worker sent late does not claim 24 hours.
 */
export function reminderSubject(t: Translate, startsAt: Date, now: Date): string {
  const left = startsAt.getTime() - now.getTime();
  if (left >= 45 * 60_000)
    return t('meetings.reminders.subjectHours', { count: Math.max(1, Math.round(left / 3600_000)) });
  return t('meetings.reminders.subjectMinutes', { count: Math.max(1, Math.ceil(left / 60_000)) });
}

interface Line {
  label: string;
  value: string;
  href?: string;
}

/** Where the meeting is: the address and how to get there, the dial-in number and PIN, or the live room. */
function placeLines(t: Translate, baseUrl: string, m: ReminderMeeting): Line[] {
  const lines: Line[] = [];
  const add = (label: string, value: string | null, href?: string) => {
    if (value?.trim()) lines.push({ label, value: value.trim(), ...(href ? { href } : {}) });
  };
  if (m.kind === 'in_person') {
    add(t('meetings.reminders.address'), m.address);
    add(t('meetings.reminders.directions'), m.directions);
    add(t('meetings.reminders.accessibility'), m.accessibilityNotes);
  } else if (m.kind === 'phone') {
    add(t('meetings.reminders.dialIn'), m.dialIn);
    add(t('meetings.reminders.pin'), m.dialInPin);
  } else {
    const room = `${baseUrl}/meetings/${m.occurrenceId}/room`;
    add(t('meetings.reminders.room'), room, room);
  }
  return lines;
}

const link = 'color:#1a4f8b';

/** The reminder email, in the member's language, with times on their clock. */
export function reminderMail(
  baseUrl: string,
  reader: ReminderReader,
  m: ReminderMeeting,
  now: Date,
): { subject: string; text: string; html: string } {
  const t = translator(reader.locale);
  const subject = reminderSubject(t, m.startsAt, now);
  const time = when(reader, m.startsAt, m.endsAt);
  const page = `${baseUrl}/meetings/${m.occurrenceId}`;
  const settings = `${baseUrl}/account/meetings`;
  const what = t('meetings.reminders.what', { title: m.title, group: m.groupName });
  const lines: Line[] = [
    { label: t('meetings.reminders.when'), value: t('meetings.reminders.time', { time: time.text, zone: time.zone }) },
    ...placeLines(t, baseUrl, m),
  ];
  const text = [
    // A neutral first line: mail apps show the start of the body beside the subject.
    t('meetings.reminders.intro'),
    '',
    what,
    '',
    ...lines.map((l) => `${l.label}: ${l.value}`),
    '',
    t('meetings.reminders.page', { url: page }),
    '',
    '-- ',
    t('meetings.reminders.why'),
    t('meetings.reminders.settingsLine', { url: settings }),
  ].join('\n');
  const html = renderEmail(
    <EmailPage lang={reader.locale} title={subject} t={t}>
      <p style="margin:0 0 16px">{t('meetings.reminders.intro')}</p>
      <h1 style="font-size:20px;margin:0 0 12px">{what}</h1>
      <dl style="margin:0 0 16px">
        {lines.map((l) => (
          <Fragment key={l.label}>
            <dt style="font-weight:bold;margin-top:8px">{l.label}</dt>
            <dd style="margin:0;white-space:pre-line">
              {l.href ? (
                <a href={l.href} style={link}>
                  {l.value}
                </a>
              ) : (
                l.value
              )}
            </dd>
          </Fragment>
        ))}
      </dl>
      <p style="margin:0 0 16px">
        <a href={page} style={link}>
          {t('meetings.reminders.pageLink')}
        </a>
      </p>
      <footer style="margin-top:32px;padding-top:12px;border-top:1px solid #cccccc;color:#4a4a4a;font-size:14px">
        <p style="margin:0 0 8px">{t('meetings.reminders.why')}</p>
        <p style="margin:0">
          <a href={settings} style={link}>
            {t('meetings.reminders.settingsLink')}
          </a>
        </p>
      </footer>
    </EmailPage>,
  );
  return { subject, text, html };
}

/** What a "meeting_reminder" notification carries (a row of the notifications list). */
interface ReminderNotice {
  group: { slug: string; name: string } | null;
  occurrence: OccurrenceSummary | null;
  /** "day:…" or "hour:…": which reminder, for which start. */
  reason: string | null;
}

/** "A reminder: Tuesday circle, with Carers Together, begins 29 October 2030, 19:00." and the way to it. */
export function MeetingReminderNotification({ ctx, n }: { ctx: PageContext; n: ReminderNotice }) {
  const { t } = ctx;
  const group = n.group?.name ?? t('notifications.formerGroup');
  const o = n.occurrence;
  if (!o) return <p>{t('meetings.reminders.notice.gone', { group })}</p>;
  const date = formatDateTime(ctx, new Date(o.startsAt));
  const soon = n.reason?.startsWith('hour:') ? 'hour' : 'day';
  return (
    <>
      <p>{t(`meetings.reminders.notice.${soon}`, { title: o.title, group, date })}</p>
      {o.cancelled ? <p>{t('meetings.reminders.notice.cancelled')}</p> : null}
      <p>
        <a href={`/meetings/${o.id}`}>{t('meetings.reminders.notice.open')}</a>
      </p>
    </>
  );
}
