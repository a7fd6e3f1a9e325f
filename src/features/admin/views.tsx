import type { PageContext } from '../../platform/http/page.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';

interface OutboxMessage {
  id: number;
  to: string;
  subject: string;
  text: string;
  createdAt: Date;
}

export function OutboxPage({ ctx, messages }: { ctx: PageContext; messages: OutboxMessage[] }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.outbox.title')}>
      <h1>{t('admin.outbox.title')}</h1>
      <p>{t('admin.outbox.intro')}</p>
      {messages.length === 0 ? <p class="empty">{t('admin.outbox.empty')}</p> : null}
      {messages.map((m) => (
        <article class="panel" key={m.id} aria-labelledby={`mail-${m.id}`}>
          <h2 id={`mail-${m.id}`}>{m.subject}</h2>
          <p class="meta">
            {t('admin.outbox.to', { to: m.to })} · <RelativeTime ctx={ctx} date={m.createdAt} />
          </p>
          <pre class="source">{m.text}</pre>
        </article>
      ))}
    </Layout>
  );
}

/** The site administrator's pages, each with what it is for. */
export const adminPages = [
  ['/admin/listings', 'listings'],
  ['/admin/topics', 'topics'],
  ['/admin/crisis-resources', 'crisisResources'],
  ['/admin/watched-words', 'watchedWords'],
  ['/admin/trust', 'trust'],
  ['/admin/outbox', 'outbox'],
] as const;

export function AdminIndexPage({ ctx }: { ctx: PageContext }) {
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('admin.index.title')}>
      <h1>{t('admin.index.title')}</h1>
      <p>{t('admin.index.intro')}</p>
      <ul class="plain-list">
        {adminPages.map(([href, key]) => (
          <li key={href}>
            <a href={href}>{t(`admin.index.pages.${key}.title`)}</a>
            <p class="meta">{t(`admin.index.pages.${key}.description`)}</p>
          </li>
        ))}
      </ul>
    </Layout>
  );
}
