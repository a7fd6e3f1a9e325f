import type { PageContext } from '../../platform/http/page.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import type { NotificationRow } from './service.js';

function Message({ ctx, n }: { ctx: PageContext; n: NotificationRow }) {
  const { t } = ctx;
  switch (n.kind) {
    case 'author_revealed':
      return (
        <>
          <p>
            {t(
              n.actorRole === 'siteAdmin' ? 'notifications.revealed.byAdmin' : 'notifications.revealed.byFacilitator',
              {
                group: n.group?.name ?? t('notifications.formerGroup'),
              },
            )}
          </p>
          {n.reason ? (
            <p>
              {t('notifications.revealed.reason')} <q>{n.reason}</q>
            </p>
          ) : null}
          {n.group && n.threadId && n.postId ? (
            <p>
              <a href={`/g/${n.group.slug}/t/${n.threadId}#post-${n.postId}`}>{t('notifications.revealed.open')}</a>
            </p>
          ) : null}
        </>
      );
  }
}

export function NotificationsPage({ ctx, list }: { ctx: PageContext; list: NotificationRow[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('notifications.title')} noindex>
      <h1>{t('notifications.title')}</h1>
      {list.length === 0 ? <p class="empty">{t('notifications.none')}</p> : null}
      <ul class="plain-list notifications">
        {list.map((n) => (
          <li key={n.id} class={n.unread ? 'panel notification-unread' : 'panel'}>
            <p class="meta">
              {n.unread ? <span class="badge">{t('notifications.new')}</span> : null}{' '}
              <RelativeTime ctx={ctx} date={n.createdAt} />
            </p>
            <Message ctx={ctx} n={n} />
          </li>
        ))}
      </ul>
    </Layout>
  );
}
