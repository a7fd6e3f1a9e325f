import type { PageContext } from '../../platform/http/page.js';
import { formatDateTime } from '../../platform/views/time.js';
import type { OccurrenceSummary } from './summaries.js';

/** What a meeting_place_offered, meeting_cancelled or meeting_changed notification carries. */
interface MeetingNotice {
  kind: string;
  group: { slug: string; name: string } | null;
  occurrence: OccurrenceSummary | null;
  /** A cancellation's note from the group's leaders. */
  reason: string | null;
}

const texts = {
  meeting_place_offered: 'meetings.notice.placeOffered',
  meeting_cancelled: 'meetings.notice.cancelled',
  meeting_changed: 'meetings.notice.changed',
} as const;

/** "A place opened up for you at Tuesday circle (Carers Together), 27 October 2026, 19:00: you are going." */
export function MeetingNewsNotification({ ctx, n }: { ctx: PageContext; n: MeetingNotice }) {
  const { t } = ctx;
  const group = n.group?.name ?? t('notifications.formerGroup');
  const o = n.occurrence;
  if (!o) return <p>{t('meetings.notice.gone', { group })}</p>;
  const key = texts[n.kind as keyof typeof texts] ?? texts.meeting_changed;
  return (
    <>
      <p>{t(key, { title: o.title, group, date: formatDateTime(ctx, new Date(o.startsAt)) })}</p>
      {n.kind === 'meeting_cancelled' && n.reason ? (
        <p>
          {t('meetings.cancelNoteIntro')} <q>{n.reason}</q>
        </p>
      ) : null}
      <p>
        <a href={`/meetings/${o.id}`}>{t('meetings.notice.open')}</a>
      </p>
    </>
  );
}
