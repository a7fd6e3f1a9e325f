import { Fragment } from 'preact';
import type { PageContext } from '../../platform/http/page.js';
import { Layout } from '../../platform/views/layout.js';
import { RelativeTime } from '../../platform/views/time.js';

interface OutboxMessage {
  id: number;
  to: string;
  /** The From header as it would have been sent; null: the site's own (MAIL_FROM). */
  from: string | null;
  subject: string;
  text: string;
  html: string | null;
  headers: Record<string, string> | null;
  messageId: string | null;
  createdAt: Date;
}

/**
 * Mail kept while no mail server is configured, as it would have been sent: its headers, its
 * text, and its HTML part as source. The HTML is never rendered here: it is written by members
 * (sanitised, but still theirs), and the page's Content-Security-Policy would strip its styles.
 */
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
          <dl class="facts">
            <dt>{t('admin.outbox.from')}</dt>
            <dd>{m.from ?? t('admin.outbox.siteFrom')}</dd>
            {m.messageId ? (
              <>
                <dt>Message-ID</dt>
                <dd>{m.messageId}</dd>
              </>
            ) : null}
            {Object.entries(m.headers ?? {}).map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </Fragment>
            ))}
          </dl>
          <h3 id={`mail-${m.id}-text`}>{t('admin.outbox.text')}</h3>
          <pre class="source" aria-labelledby={`mail-${m.id}-text`}>
            {m.text}
          </pre>
          {m.html ? (
            <details>
              <summary>{t('admin.outbox.html')}</summary>
              <pre class="source">{m.html}</pre>
            </details>
          ) : null}
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
  ['/admin/conversation-reports', 'conversationReports'],
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
