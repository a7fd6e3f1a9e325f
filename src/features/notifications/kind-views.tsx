import type { PageContext } from '../../platform/http/page.js';
import type { NotificationView } from './reading.js';
import { notificationSummary } from './summaries.js';

/** The link text of each kind: where opening it takes the reader. */
const openLabel = {
  reply: 'notifications.open.post',
  mention: 'notifications.open.post',
  watched_post: 'notifications.open.post',
  reactions: 'notifications.open.yourPost',
  message_request: 'notifications.open.request',
  private_message: 'notifications.open.conversation',
  application_decision: 'notifications.open.group',
  moderator_alert: 'notifications.open.review',
} as const;

export type StayingInTouchKind = keyof typeof openLabel;

export function isStayingInTouchKind(kind: string): kind is StayingInTouchKind {
  return Object.hasOwn(openLabel, kind);
}

/**
 * Replies, mentions, posts in watched discussions, support on a post, messages and requests, an
 * application's decision, things waiting for a moderator: what happened, by whom as the group
 * knows them (nobody, for an anonymous post), and a link that marks it read and opens the exact
 * post, conversation or page (GET /notifications/:id).
 */
export function StayingInTouchMessage({
  ctx,
  n,
}: {
  ctx: PageContext;
  n: NotificationView & { kind: StayingInTouchKind };
}) {
  const { t } = ctx;
  return (
    <>
      <p>
        {notificationSummary(t, n)}
        {n.group ? (
          <>
            {' '}
            <span class="meta">{t('notifications.inGroup', { group: n.group.name })}</span>
          </>
        ) : null}
      </p>
      <p>
        <a href={`/notifications/${n.id}`}>{t(openLabel[n.kind])}</a>
      </p>
    </>
  );
}
