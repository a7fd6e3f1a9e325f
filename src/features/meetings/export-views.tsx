import type { Translate } from '../../platform/views/i18n.js';
import type { MeetingExport } from './personal-data.js';

type Named<T> = Omit<T, 'groupId'> & { group: string };

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** The member's answers to meetings, the meetings they scheduled and their settings, in the archive's readable page. */
export function MeetingsExportSection({
  t,
  data,
}: {
  t: Translate;
  data: {
    answers: Named<MeetingExport['answers'][number]>[];
    scheduled: Named<MeetingExport['scheduled'][number]>[];
    reminders: MeetingExport['reminders'];
    calendarFeed: boolean;
  };
}) {
  if (data.answers.length === 0 && data.scheduled.length === 0 && !data.reminders && !data.calendarFeed) return null;
  return (
    <>
      <h2>{t('meetings.export.heading')}</h2>
      <ul>
        {data.answers.map((a) => (
          <li>
            {a.meeting} ({a.group}) · {when(a.startsAt)} · {t(`meetings.export.status.${a.status}`)} ·{' '}
            {t('meetings.export.answered', { date: when(a.answeredAt) })} · {a.address}
          </li>
        ))}
        {data.scheduled.map((s) => (
          <li>{t('meetings.export.scheduled', { meeting: s.meeting, group: s.group, date: when(s.createdAt) })}</li>
        ))}
        {data.reminders ? (
          <li>
            {t('meetings.export.reminders', {
              email: data.reminders.byEmail ? t('meetings.export.on') : t('meetings.export.off'),
              app: data.reminders.inApp ? t('meetings.export.on') : t('meetings.export.off'),
              day: data.reminders.dayBefore ? t('meetings.export.on') : t('meetings.export.off'),
              hour: data.reminders.hourBefore ? t('meetings.export.on') : t('meetings.export.off'),
            })}
          </li>
        ) : null}
        {data.calendarFeed ? <li>{t('meetings.export.calendarFeed')}</li> : null}
      </ul>
    </>
  );
}
