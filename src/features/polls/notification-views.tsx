import type { PageContext } from '../../platform/http/page.js';
import { formatDateTime } from '../../platform/views/time.js';

/** What a poll_closed notification carries: its thread, and the meeting when its time was scheduled. */
interface PollNotice {
  group: { slug: string; name: string } | null;
  threadId: number | null;
  threadTitle: string | null;
  occurrence: { id: number; title: string; startsAt: string | Date } | null;
}

/**
 * "A poll you voted in, in Spring walk, has closed. See what the group chose", or, to those who
 * chose the time a meeting was then made at, that meeting with a link to it (they answer there).
 */
export function PollNotification({ ctx, n }: { ctx: PageContext; n: PollNotice }) {
  const { t } = ctx;
  const title = n.threadTitle ?? t('notifications.summary.aDiscussion');
  if (n.occurrence) {
    return (
      <>
        <p>
          {t('polls.notice.scheduled', {
            title: n.occurrence.title,
            date: formatDateTime(ctx, new Date(n.occurrence.startsAt)),
          })}
        </p>
        <p>
          <a href={`/meetings/${n.occurrence.id}`}>{t('polls.notice.openMeeting')}</a>
        </p>
      </>
    );
  }
  return (
    <>
      <p>{t('notifications.summary.pollClosed', { title })}</p>
      {n.group && n.threadId ? (
        <p>
          <a href={`/g/${n.group.slug}/t/${n.threadId}`}>{t('polls.notice.openPoll')}</a>
        </p>
      ) : null}
    </>
  );
}
