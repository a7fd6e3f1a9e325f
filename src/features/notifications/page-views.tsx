import type { PageContext } from '../../platform/http/page.js';
import { CsrfField } from '../../platform/views/forms.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';
import { PAGE_SIZE, type NotificationPage, type NotificationView } from './reading.js';
import { NotificationMessage } from './views.js';

/**
 * /notifications: newest first, each saying in words whether it is unread (never by colour
 * alone), with a button to mark it read or unread again; "Mark all as read"; older ones on
 * further pages. Everything works without JavaScript.
 */
export function NotificationsPage({ ctx, page }: { ctx: PageContext; page: NotificationPage }) {
  const { t } = ctx;
  const unread = ctx.viewer?.unreadNotifications ?? 0;
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  const here = (p: number) => (p > 1 ? `/notifications?page=${p}` : '/notifications');
  return (
    <Layout
      ctx={ctx}
      title={page.page > 1 ? t('notifications.pageTitle', { page: page.page }) : t('notifications.title')}
    >
      <h1>{t('notifications.title')}</h1>
      <div class="notifications-summary">
        <p>{unread > 0 ? t('notifications.unreadCount', { count: unread }) : t('notifications.allRead')}</p>
        {unread > 0 ? (
          <form method="post" action="/notifications/read-all" class="inline-form">
            <CsrfField ctx={ctx} />
            <input type="hidden" name="page" value={String(page.page)} />
            <button type="submit" class="button button-secondary">
              {t('notifications.markAllRead')}
            </button>
          </form>
        ) : null}
        <p>
          <a href="/account/notifications">{t('notifications.preferencesLink')}</a>
        </p>
      </div>
      {page.list.length === 0 ? <p class="empty">{t('notifications.none')}</p> : null}
      <ul class="plain-list notifications">
        {page.list.map((n) => (
          <NotificationItem key={n.id} ctx={ctx} n={n} page={page.page} />
        ))}
      </ul>
      {pages > 1 ? (
        <nav aria-label={t('directory.pages')} class="pager">
          {page.page > 1 ? <a href={here(page.page - 1)}>{t('notifications.newer')}</a> : null}
          <span>{t('directory.pageOf', { page: page.page, pages })}</span>
          {page.page < pages ? <a href={here(page.page + 1)}>{t('notifications.older')}</a> : null}
        </nav>
      ) : null}
    </Layout>
  );
}

function NotificationItem({ ctx, n, page }: { ctx: PageContext; n: NotificationView; page: number }) {
  const { t } = ctx;
  const action = n.unread ? 'read' : 'unread';
  return (
    <li id={`notification-${n.id}`} class={n.unread ? 'panel notification notification-unread' : 'panel notification'}>
      <p class="meta">
        {n.unread ? <span class="badge">{t('notifications.unread')}</span> : <span>{t('notifications.read')}</span>}
        {' · '}
        <RelativeTime ctx={ctx} date={n.createdAt} />
      </p>
      <NotificationMessage ctx={ctx} n={n} />
      <form method="post" action={`/notifications/${n.id}/${action}`} class="inline-form">
        <CsrfField ctx={ctx} />
        <input type="hidden" name="page" value={String(page)} />
        <button type="submit" class="link-button">
          {t(n.unread ? 'notifications.markRead' : 'notifications.markUnread')}
        </button>
      </form>
    </li>
  );
}
